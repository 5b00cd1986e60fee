/**
 * What a received file must pass before it is stored, in this order: its type
 * decided from its content, then for DOCX and ODT a reasonable inflated size
 * (zip-bomb.ts), then the antivirus (antivirus.ts). A batch is kept whole or
 * refused whole, as for a wrong type: the person chose these files together.
 */
import type { Antivirus } from "./antivirus.js";
import { AntivirusUnavailable } from "./antivirus.js";
import type { Detection, DocumentStorage } from "./document-storage.js";
import type { ReceivedFile } from "./upload.js";
import { checkArchive, type ArchiveCheck } from "./zip-bomb.js";

export type AcceptedDetection = Extract<Detection, { ok: true }>;

export type FileChecks =
  | { ok: true; detections: AcceptedDetection[] }
  /** `signatures`: the viruses found (for the audit log; never with the file or its name). */
  | { ok: false; messages: string[]; signatures: string[] };

export const ANTIVIRUS_UNAVAILABLE = "L'analyse antivirus est indisponible, réessayez dans quelques minutes.";

const ARCHIVE_TYPES = new Set(["docx", "odt"]);

export async function checkReceivedFiles(storage: DocumentStorage, antivirus: Antivirus, files: ReceivedFile[]): Promise<FileChecks> {
  const detections = await Promise.all(files.map((file) => storage.detect(file.tempPath, file.originalName)));
  const accepted = detections.filter((detection): detection is AcceptedDetection => detection.ok);
  const typeMessages = detections.flatMap((detection) => (detection.ok ? [] : [detection.message]));
  if (typeMessages.length > 0) return refused(files, typeMessages, []);

  const archiveMessages = (
    await Promise.all(
      files.map(async (file, index) =>
        ARCHIVE_TYPES.has(accepted[index]!.ext) ? archiveMessage(file.originalName, await checkArchive(file.tempPath, file.size)) : null,
      ),
    )
  ).filter((message): message is string => message !== null);
  if (archiveMessages.length > 0) return refused(files, archiveMessages, []);

  const scans = await Promise.allSettled(files.map((file) => antivirus.scanFile(file.tempPath)));
  const failure = scans.find((scan) => scan.status === "rejected");
  if (failure) {
    if (failure.reason instanceof AntivirusUnavailable) {
      return { ok: false, messages: [`${ANTIVIRUS_UNAVAILABLE} ${nothingSaved(files)}`], signatures: [] };
    }
    throw failure.reason;
  }
  const messages: string[] = [];
  const signatures: string[] = [];
  scans.forEach((scan, index) => {
    if (scan.status === "fulfilled" && scan.value.infected) {
      signatures.push(scan.value.signature);
      messages.push(`Le fichier « ${files[index]!.originalName} » contient un virus (${scan.value.signature}) : il n'a pas été enregistré.`);
    }
  });
  if (messages.length > 0) return refused(files, messages, signatures);
  return { ok: true, detections: accepted };
}

function archiveMessage(name: string, check: ArchiveCheck): string | null {
  if (check.ok) return null;
  if (check.reason === "unreadable") {
    return `Le fichier « ${name} » est endommagé et ne peut pas être lu : il n'a pas été enregistré. Enregistrez-le à nouveau depuis votre traitement de texte, ou envoyez-le en PDF.`;
  }
  return `Le fichier « ${name} » contient bien plus de données qu'il n'y paraît (archive anormale) : il n'a pas été enregistré. Enregistrez-le à nouveau depuis votre traitement de texte, ou envoyez-le en PDF.`;
}

/** When one file of several is refused, the others are not kept either: the person must know to choose them again. */
function refused(files: ReceivedFile[], messages: string[], signatures: string[]): FileChecks {
  return { ok: false, messages: files.length > messages.length ? [...messages, othersNotSaved()] : messages, signatures };
}

function othersNotSaved(): string {
  return "Les autres fichiers choisis n'ont pas été enregistrés non plus : choisissez-les à nouveau.";
}

function nothingSaved(files: ReceivedFile[]): string {
  return `${files.length > 1 ? "Les fichiers choisis n'ont pas été enregistrés" : "Le fichier choisi n'a pas été enregistré"} ; ceux déjà enregistrés sont conservés.`;
}
