/**
 * Reading the portal's PDFs as a person's tools do: the text through
 * pdftotext, the document's properties and structure tree through pdfinfo
 * (Debian's poppler-utils).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Agent } from "./browserless.js";

const run = promisify(execFile);

/** A download, its body kept as bytes whatever the type. */
export async function download(agent: Agent, url: string) {
  const answer = await agent
    .get(url)
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => callback(null, Buffer.concat(chunks)));
    });
  return { status: answer.status, headers: answer.headers as Record<string, string>, body: answer.body as Buffer, text: answer.text };
}

/** Runs a poppler command on the PDF (written to a temporary file) and returns its output. */
async function poppler(pdf: Buffer, command: string, args: string[]): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "amethyste-pdf-"));
  try {
    const file = path.join(folder, "document.pdf");
    await writeFile(file, pdf);
    const { stdout } = await run(command, [...args, file, ...(command === "pdftotext" ? ["-"] : [])], { encoding: "utf8" });
    return stdout;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The text a reader extracts, spaces collapsed. */
export async function pdfText(pdf: Buffer): Promise<string> {
  return (await poppler(pdf, "pdftotext", ["-enc", "UTF-8"])).replace(/\s+/g, " ").trim();
}

/** pdfinfo's properties (« Title », « Tagged », …). */
export async function pdfInfo(pdf: Buffer): Promise<Record<string, string>> {
  const output = await poppler(pdf, "pdfinfo", ["-enc", "UTF-8"]);
  return Object.fromEntries(
    output.split("\n").flatMap((line) => {
      const property = /^([^:]+):\s*(.*)$/.exec(line);
      return property ? [[property[1]!.trim(), property[2]!.trim()]] : [];
    }),
  );
}

/** The structure tree with its text (pdfinfo -struct-text): what a screen reader walks. */
export function pdfStructure(pdf: Buffer): Promise<string> {
  return poppler(pdf, "pdfinfo", ["-struct-text"]);
}

/** The fonts and whether each is embedded (pdffonts). */
export function pdfFonts(pdf: Buffer): Promise<string> {
  return poppler(pdf, "pdffonts", []);
}
