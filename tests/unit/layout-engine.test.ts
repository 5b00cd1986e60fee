import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ejsWithLayout } from "../../src/views/layout-engine.js";

const folder = mkdtempSync(path.join(tmpdir(), "layout-"));
writeFileSync(path.join(folder, "layout.ejs"), "<title><%= title %></title><main><%- body %></main>");
writeFileSync(path.join(folder, "page.ejs"), "<h1><%= title %></h1>");
writeFileSync(path.join(folder, "broken.ejs"), "<%= missing.value %>");

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
