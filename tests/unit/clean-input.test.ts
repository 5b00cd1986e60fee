import { describe, expect, it } from "vitest";
import { cleanQueryParser, cleanText } from "../../src/middleware/clean-input.js";

describe("cleanText", () => {
  it("removes NUL, other control characters and bidi overrides", () => {
    expect(cleanText("Bob\u0000igny\u0007\u009B")).toBe("Bobigny");
    expect(cleanText("\u202Egnirts\u2066x\u2069")).toBe("gnirtsx");
  });

  it("keeps tabs, line breaks, accents and everything else typed", () => {
    expect(cleanText("Saint-Denis\r\nRue de l'Église\t« 93 » – 12 €")).toBe("Saint-Denis\r\nRue de l'Église\t« 93 » – 12 €");
  });
});

describe("cleanQueryParser", () => {
  it("cleans names and values, repeated ones included", () => {
    expect(cleanQueryParser("q=Mar%00tin&statut=A&statut=B%00&x%00=1")).toEqual({ q: "Martin", statut: ["A", "B"], x: "1" });
  });
});

describe("a field named __proto__", () => {
  it("is an ordinary field, never the prototype of the parsed values", () => {
    const parsed = cleanQueryParser("__proto__=a&__proto__=b&q=x");
    expect(Object.getPrototypeOf(parsed)).not.toEqual(["a", "b"]);
    expect((parsed as { length?: unknown }).length).toBeUndefined();
    expect(parsed.q).toBe("x");
    expect(Object.keys(parsed)).toContain("__proto__");
  });
});
