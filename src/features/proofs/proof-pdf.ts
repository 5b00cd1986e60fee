/**
 * The receipt and the attestation as tagged PDF (pdfkit): a structure tree of
 * headings and paragraphs in reading order, the title shown by the reader
 * (DisplayDocTitle), the language fr-FR, and an embedded font with the
 * French letters, so that a screen reader reads them as a page. The font is
 * Atkinson Hyperlegible (SIL Open Font License, from its npm package), drawn
 * for readers with low vision; fontkit (pdfkit's own font engine) tells which
 * of its files has each letter. Decoration is marked as an artifact.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as fontkit from "fontkit";
import PDFDocument from "pdfkit";
import { formatDate, formatDateTime } from "../../views/format.js";
import type { Proof } from "./proof-service.js";

const require = createRequire(import.meta.url);

type Weight = "regular" | "bold";

/**
 * The font comes in two files per weight: the Latin letters (French ones
 * included) and the extended Latin ones (Ł, ş, ğ, Ă…), which names may hold.
 * Each character is drawn from the first file that has it.
 */
const FONTS = (["regular", "bold"] as const).flatMap((weight) =>
  (["latin", "latin-ext"] as const).map((subset) => {
    const bytes = readFileSync(
      require.resolve(`@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-${subset}-${weight === "bold" ? 700 : 400}-normal.woff`),
    );
    const font = fontkit.create(bytes);
    if (!("hasGlyphForCodePoint" in font)) throw new Error(`Police ${subset} ${weight} illisible`);
    return { name: `${weight}-${subset}`, weight, subset, font, has: (character: string) => font.hasGlyphForCodePoint(character.codePointAt(0)!) };
  }),
);

/**
 * The text cut into runs, each with the font file that draws it. A letter
 * neither file has keeps only what they can draw (its base letter, and the
 * accents they have): never an empty box.
 */
function runs(text: string, weight: Weight): { font: string; text: string }[] {
  const fonts = FONTS.filter((font) => font.weight === weight);
  const result: { font: string; text: string }[] = [];
  for (const character of text.normalize("NFC")) {
    const drawable = fonts.some((font) => font.has(character))
      ? character
      : [...character.normalize("NFD")].filter((part) => fonts.some((font) => font.has(part))).join("");
    for (const part of drawable) {
      const font = (fonts.find((candidate) => candidate.has(part)) ?? fonts[0]!).name;
      const last = result.at(-1);
      if (last?.font === font) last.text += part;
      else result.push({ font, text: part });
    }
  }
  return result;
}

const DEPARTMENT = "Département de la Seine-Saint-Denis";
const PURPLE = "#5b2a86";
const TEXT = "#1a1a1a";

/** The title of each proof, as the reader shows it and as its first heading says it. */
export const PROOF_TITLES = {
  RECEIPT: "Récépissé de dépôt",
  ATTESTATION: "Attestation de droit au forfait Améthyste",
} as const;

/** « recepisse-DEM-0000000042.pdf »: the file name the browser saves (the request number, nothing personal). */
export function proofFileName(proof: Pick<Proof, "kind" | "number">): string {
  return `${proof.kind === "RECEIPT" ? "recepisse" : "attestation"}-${proof.number}.pdf`;
}

/** The lines of the proof, in reading order. */
function paragraphs(proof: Proof): string[] {
  if (proof.kind === "RECEIPT") {
    return [
      `Le ${DEPARTMENT} a bien reçu la demande de forfait Améthyste de ${proof.applicantName}.`,
      `Numéro de demande : ${proof.number}`,
      `Type de demande : ${proof.typeLabel}`,
      `Demandeur : ${proof.applicantName}`,
      `Déposée le : ${formatDateTime(proof.submittedAt)}`,
      "Ce récépissé atteste du dépôt de la demande. Il ne vaut pas accord du forfait Améthyste.",
    ];
  }
  return [
    `Le ${DEPARTMENT} atteste que ${proof.applicantName} a droit au forfait Améthyste.`,
    `Droit valable du ${formatDate(proof.validFrom!)} au ${formatDate(proof.validUntil!)}`,
    `Numéro de demande : ${proof.number}`,
    `Bénéficiaire : ${proof.applicantName}`,
    `Demande déposée le : ${formatDateTime(proof.submittedAt)}`,
    ...(proof.approvedAt ? [`Demande validée le : ${formatDateTime(proof.approvedAt)}`] : []),
  ];
}

/** The PDF of one proof. */
export function buildProofPdf(proof: Proof): Promise<Buffer> {
  const title = `${PROOF_TITLES[proof.kind]} – demande ${proof.number}`;
  const doc = new PDFDocument({
    size: "A4",
    margin: 56,
    pdfVersion: "1.7",
    tagged: true,
    lang: "fr-FR",
    displayTitle: true,
    info: { Title: title, Author: DEPARTMENT, Subject: "Forfait Améthyste", Creator: "Portail Améthyste" },
  });
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  // The fonts parsed once for every document (pdfkit takes a fontkit font as it takes a file; its types say only files).
  for (const { name, font } of FONTS) doc.registerFont(name, font as unknown as Buffer);

  const root = doc.struct("Document");
  doc.addStructure(root);
  const write = (text: string, type: "H1" | "H2" | "P", style: { font?: Weight; size?: number; color?: string; gapAfter?: number } = {}) => {
    const element = doc.struct(type);
    root.add(element);
    const pieces = runs(text, style.font ?? (type === "P" ? "regular" : "bold"));
    // One structure element per heading or paragraph, whatever the font runs inside it.
    element.add(() => {
      doc.fontSize(style.size ?? 12).fillColor(style.color ?? TEXT);
      pieces.forEach((piece, index) => doc.font(piece.font).text(piece.text, { lineGap: 3, continued: index < pieces.length - 1 }));
    });
    element.end();
    doc.moveDown(style.gapAfter ?? 0.6);
  };

  write(DEPARTMENT, "P", { font: "bold", size: 14, color: PURPLE, gapAfter: 0.1 });
  write("Portail Améthyste – forfait de transport pour les personnes âgées et handicapées", "P", { size: 10, gapAfter: 0.8 });
  rule(doc);
  write(PROOF_TITLES[proof.kind], "H1", { size: 22, color: PURPLE, gapAfter: 0.8 });
  for (const line of paragraphs(proof)) write(line, "P");

  doc.moveDown(0.8);
  write("Code de vérification", "H2", { size: 15, color: PURPLE, gapAfter: 0.3 });
  write(proof.code, "P", { font: "bold", size: 20, gapAfter: 0.4 });
  write(
    `Un agent peut vérifier l'authenticité de ce document sur ${proof.verifyUrl} en saisissant ce code. La vérification indique seulement si le document est valide et ses dates.`,
    "P",
  );
  doc.moveDown(1);
  rule(doc);
  write(`Document délivré le ${formatDateTime(proof.issuedAt)} par le portail Améthyste du ${DEPARTMENT}.`, "P", { size: 10 });

  root.end();
  doc.end();
  return done;
}

/** A horizontal line: decoration, kept out of the structure tree (an artifact for screen readers). */
function rule(doc: PDFKit.PDFDocument): void {
  const y = doc.y;
  doc.markContent("Artifact", { type: "Layout" });
  doc
    .moveTo(doc.page.margins.left, y)
    .lineTo(doc.page.width - doc.page.margins.right, y)
    .lineWidth(1.5)
    .strokeColor(PURPLE)
    .stroke();
  doc.endMarkedContent();
  doc.moveDown(0.8);
}
