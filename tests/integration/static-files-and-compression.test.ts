/**
 * What makes pages light for a slow phone: compressed text, static files
 * with a fingerprint in their URL kept for a year, templates compiled once.
 * Counted, never timed.
 */
import ejs from "ejs";
import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { newBrowser, textOf } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

const readTemplate = ejs.fileLoader;
afterEach(() => {
  ejs.fileLoader = readTemplate;
});

const FINGERPRINTED_CSS = /href="(\/static\/css\/portail\.[0-9a-f]{8}\.css)"/;

async function fingerprintedCssUrl(): Promise<string> {
  const home = await request(ctx.app).get("/");
  return FINGERPRINTED_CSS.exec(home.text)![1]!;
}

describe("Compression", () => {
  it("sends pages gzip- or brotli-compressed to a browser that accepts it, plain to one that does not", async () => {
    const gzip = await request(ctx.app).get("/faq").set("Accept-Encoding", "gzip");
    expect(gzip.status).toBe(200);
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gzip.headers.vary).toMatch(/Accept-Encoding/i);
    expect(textOf(gzip.text)).toContain("Foire aux questions");

    const brotli = await request(ctx.app).get("/").set("Accept-Encoding", "br");
    expect(brotli.headers["content-encoding"]).toBe("br");

    const plain = await request(ctx.app).get("/faq").set("Accept-Encoding", "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(textOf(plain.text)).toContain("Foire aux questions");
  });

  it("compresses the stylesheet and the script", async () => {
    const css = await request(ctx.app)
      .get(await fingerprintedCssUrl())
      .set("Accept-Encoding", "gzip");
    expect(css.headers["content-encoding"]).toBe("gzip");
    expect(css.headers["content-type"]).toMatch(/^text\/css/);
    const js = await request(ctx.app).get("/js/portail.js").set("Accept-Encoding", "gzip");
    expect(js.headers["content-encoding"]).toBe("gzip");
  });

  it("never compresses a page holding a CSRF token (BREACH), and still sends it whole", async () => {
    const login = await newBrowser(ctx.app).get("/connexion").set("Accept-Encoding", "gzip, br");
    expect(login.status).toBe(200);
    expect(login.headers["content-encoding"]).toBeUndefined();
    expect(login.text).toMatch(/name="_csrf" value="[^"]+"/);
  });
});

describe("Static files", () => {
  it("pages link to the fingerprinted stylesheet, script and icon", async () => {
    const home = (await request(ctx.app).get("/")).text;
    expect(home).toMatch(FINGERPRINTED_CSS);
    expect(home).toMatch(/<script src="\/static\/js\/portail\.[0-9a-f]{8}\.js" nonce="[^"]+" defer><\/script>/);
    expect(home).toMatch(/href="\/static\/favicon\.[0-9a-f]{8}\.svg"/);
    expect(home).not.toContain('href="/css/portail.css"');
  });

  it("a fingerprinted URL is cached for a year, immutable; the plain URL keeps working and is revalidated", async () => {
    const fingerprinted = await request(ctx.app).get(await fingerprintedCssUrl());
    expect(fingerprinted.status).toBe(200);
    expect(fingerprinted.headers["cache-control"]).toBe("public, max-age=31536000, immutable");

    const plain = await request(ctx.app).get("/css/portail.css");
    expect(plain.status).toBe(200);
    expect(plain.headers["cache-control"]).toBe("no-cache");
    expect(plain.text).toBe(fingerprinted.text);
    const again = await request(ctx.app)
      .get("/css/portail.css")
      .set("If-None-Match", plain.headers.etag as string);
    expect(again.status).toBe(304);
  });

  it("a wrong or former fingerprint is not a file: the French 404 page", async () => {
    const page = await request(ctx.app).get("/static/css/portail.00000000.css");
    expect(page.status).toBe(404);
    expect(textOf(page.text)).toContain("Page introuvable");
  });
});

describe("Templates", () => {
  it("are read once: the same pages rendered again read no template file", async () => {
    // Once, so that every template of these pages has been compiled.
    await request(ctx.app).get("/faq");
    await request(ctx.app).get("/");
    const reads: string[] = [];
    ejs.fileLoader = (file: string) => {
      reads.push(file);
      return readTemplate(file);
    };
    for (const path of ["/faq", "/", "/faq", "/"]) expect((await request(ctx.app).get(path)).status).toBe(200);
    expect(reads).toEqual([]);
  });
});

describe("Anonymous pages", () => {
  it("are rendered once for every visitor without a session, each answer with its own nonce", async () => {
    await request(ctx.app).get("/faq");
    const render = ctx.app.render.bind(ctx.app);
    let renders = 0;
    ctx.app.render = (...args: Parameters<typeof render>) => {
      renders++;
      return render(...args);
    };
    try {
      const [first, second] = [await request(ctx.app).get("/faq"), await request(ctx.app).get("/faq")];
      expect(renders).toBe(0);
      expect(textOf(second.text)).toBe(textOf(first.text));
      const nonce = (page: typeof first) => /'nonce-([^']+)'/.exec(page.headers["content-security-policy"] as string)![1]!;
      expect(nonce(first)).not.toBe(nonce(second));
      expect(second.text).toContain(`nonce="${nonce(second)}"`);
      expect(second.text).not.toContain("\u0000");
    } finally {
      ctx.app.render = render;
    }
  });

  it("set no session cookie, home page included", async () => {
    for (const path of ["/", "/faq", "/accessibilite"]) {
      const page = await request(ctx.app).get(path);
      expect(page.headers["set-cookie"], path).toBeUndefined();
    }
  });
});
