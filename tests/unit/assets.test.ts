import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildAssetManifest, fingerprintedUrl } from "../../src/views/assets.js";

const folder = mkdtempSync(path.join(tmpdir(), "assets-"));
mkdirSync(path.join(folder, "css"));
writeFileSync(path.join(folder, "css", "site.css"), "body { color: black; }");
writeFileSync(path.join(folder, "favicon.svg"), "<svg></svg>");
writeFileSync(path.join(folder, ".gitkeep"), "");

describe("fingerprinted static files", () => {
  it("put the content's hash in the URL, so that another content gets another URL", () => {
    const url = fingerprintedUrl("/css/site.css", Buffer.from("a"));
    expect(url).toMatch(/^\/static\/css\/site\.[0-9a-f]{8}\.css$/);
    expect(fingerprintedUrl("/css/site.css", Buffer.from("a"))).toBe(url);
    expect(fingerprintedUrl("/css/site.css", Buffer.from("b"))).not.toBe(url);
  });

  it("give the views the fingerprinted URL of each public file, and leave any other URL alone", () => {
    const manifest = buildAssetManifest(folder);
    const css = manifest.asset("/css/site.css");
    expect(css).toMatch(/^\/static\/css\/site\.[0-9a-f]{8}\.css$/);
    expect(manifest.byFingerprintedUrl(css)?.content.toString()).toBe("body { color: black; }");
    expect(manifest.byUrl("/favicon.svg")?.extension).toBe(".svg");
    expect(manifest.asset("/css/absent.css")).toBe("/css/absent.css");
    expect(manifest.byUrl("/.gitkeep")).toBeUndefined();
  });
});
