import { describe, expect, it } from "vitest";
import { cleanFileName } from "../../src/features/documents/document-storage.js";

describe("cleanFileName", () => {
  it.each([
    ["a right-to-left override (U+202E)", "\u202Efdp.exe.pdf", "fdp.exe.pdf"],
    ["every bidi embedding, override and isolate", "a\u202Ab\u202Bc\u202Cd\u202De\u2066f\u2067g\u2068h\u2069i.pdf", "abcdefghi.pdf"],
    ["bidi marks (U+200E, U+200F, U+061C)", "\u200Eavis\u200F\u061C.pdf", "avis.pdf"],
    ["zero-width and other invisible format characters", "a\u200Bv\uFEFFi\u2060s.pdf", "avis.pdf"],
    ["control characters, C0 and C1", "av\u0000i\u0007s\u0085\u009B.pdf", "avis.pdf"],
    ["line and paragraph separators", "avis\u2028\u2029.pdf", "avis.pdf"],
    ["a path", "../../etc/passe.pdf", "passe.pdf"],
    ["a Windows path", "C:\\Users\\Jeanne\\Documents\\passe.pdf", "passe.pdf"],
    ["quotes", 'mon "avis".pdf', "mon avis.pdf"],
  ])("removes %s", (_label, name, expected) => {
    expect(cleanFileName(name)).toBe(expected);
  });

  it("keeps accented letters and ordinary punctuation", () => {
    expect(cleanFileName("Avis d'impôt 2025 (pages 1-2).pdf")).toBe("Avis d'impôt 2025 (pages 1-2).pdf");
  });

  it("keeps the extension when it cuts a long name to 150 characters", () => {
    const cleaned = cleanFileName(`${"é".repeat(200)}.pdf`);
    expect([...cleaned]).toHaveLength(150);
    expect(cleaned.endsWith("é.pdf")).toBe(true);
  });

  it("never cuts a character in two (emoji outside the BMP)", () => {
    const cleaned = cleanFileName(`${"😀".repeat(200)}.docx`);
    expect([...cleaned]).toHaveLength(150);
    expect(cleaned.endsWith("😀.docx")).toBe(true);
    // A lone surrogate would not survive a round trip through UTF-8.
    expect(Buffer.from(cleaned, "utf8").toString("utf8")).toBe(cleaned);
  });

  it("writes accents the same way however the browser sent them (NFC)", () => {
    expect(cleanFileName("Avis d'impo\u0302t.pdf")).toBe("Avis d'impôt.pdf");
  });

  it("removes the spaces left at either end", () => {
    expect(cleanFileName("  avis.pdf \u200B")).toBe("avis.pdf");
  });

  it("cuts a long name with no short extension plainly, at 150 characters", () => {
    const cleaned = cleanFileName(`${"a".repeat(100)}.${"b".repeat(100)}`);
    expect(cleaned).toBe(`${"a".repeat(100)}.${"b".repeat(49)}`);
  });

  it("gives a name to what is left empty", () => {
    expect(cleanFileName("\u202E\u0000")).toBe("document");
    expect(cleanFileName("..")).toBe("document");
  });
});
