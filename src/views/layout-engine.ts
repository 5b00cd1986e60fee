/**
 * EJS with a layout: a page is rendered first, then views/layout.ejs around it
 * (its HTML in `body`, with the same locals). EJS has no layouts of its own,
 * and the libraries that add them (express-ejs-layouts, ejs-locals) are no
 * longer maintained, so this wraps EJS's own renderFile, the function Express
 * calls for .ejs views. A view rendered with `layout: false` is sent alone.
 */
import ejs from "ejs";

type EngineCallback = (error: Error | null, html?: string) => void;

export function ejsWithLayout(layoutFile: string) {
  return (file: string, options: object, callback: EngineCallback): void => {
    ejs.renderFile(file, options, (pageError: Error | null, body: string) => {
      if (pageError) return callback(pageError);
      if ("layout" in options && options.layout === false) return callback(null, body);
      ejs.renderFile(layoutFile, { ...options, body }, (layoutError: Error | null, html: string) => callback(layoutError, html));
    });
  };
}
