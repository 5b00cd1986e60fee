import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ejs from "ejs";
import { describe, expect, it } from "vitest";
import { ejsWithLayout } from "../../src/views/layout-engine.js";

const folder = mkdtempSync(path.join(tmpdir(), "layout-"));
writeFileSync(path.join(folder, "layout.ejs"), "<title><%= title %></title><main><%- body %></main>");
writeFileSync(path.join(folder, "page.ejs"), "<h1><%= title %></h1>");
writeFileSync(path.join(folder, "broken.ejs"), "<%= missing.value %>");
writeFileSync(path.join(folder, "cached.ejs"), "<p><%= title %></p>");

function render(view: string, locals: object): Promise<string> {
  const engine = ejsWithLayout(path.join(folder, "layout.ejs"));
  return new Promise((resolve, reject) => engine(path.join(folder, view), locals, (error, html) => (error ? reject(error) : resolve(html ?? ""))));
}

describe("views inside the layout", () => {
  it("put the page's HTML in the layout, both seeing the same locals (escaped)", async () => {
    expect(await render("page.ejs", { title: "Accueil <b>" })).toBe("<title>Accueil &lt;b&gt;</title><main><h1>Accueil &lt;b&gt;</h1></main>");
  });

  it("send a page alone when asked to", async () => {
    expect(await render("page.ejs", { title: "Seule", layout: false })).toBe("<h1>Seule</h1>");
  });

  it("pass a page's error on, for the error handler", async () => {
    await expect(render("broken.ejs", {})).rejects.toThrow(/missing/);
  });
});

// Express hands its settings to the engine with the locals; EJS caches when « view cache » is on (app.ts turns it on).
describe("views inside the layout, with the view cache on", () => {
  it("read the page and the layout once, however often the page is rendered", async () => {
    const readTemplate = ejs.fileLoader;
    const reads: string[] = [];
    ejs.fileLoader = (file: string) => {
      reads.push(path.basename(file));
      return readTemplate(file);
    };
    try {
      for (let time = 0; time < 3; time++)
        expect(await render("cached.ejs", { title: "Une", settings: { "view cache": true } })).toBe("<title>Une</title><main><p>Une</p></main>");
    } finally {
      ejs.fileLoader = readTemplate;
    }
    expect(reads.sort()).toEqual(["cached.ejs", "layout.ejs"]);
  });
});
