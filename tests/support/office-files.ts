/**
 * DOCX and ODT files made in memory (a ZIP written by hand, so that a test can
 * also forge one: sizes that lie, a deflate bomb, thousands of entries), and
 * images that carry a test marker in a comment.
 */
import { constants, crc32, deflateRawSync } from "node:zlib";
import { jpegFile, pngFile } from "./files.js";

export interface ZipEntry {
  name: string;
  /** Deflated unless `stored`. */
  data?: Buffer;
  stored?: boolean;
  /** Already deflated bytes and what they inflate to (a bomb is never held inflated in memory). */
  deflated?: { bytes: Buffer; size: number; crc: number };
  /** The uncompressed size written in the headers, when a test makes them lie. */
  declaredSize?: number;
}

/** A ZIP archive: local headers and data, then the central directory. */
export function zipArchive(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const data = entry.data ?? Buffer.alloc(0);
    const method = entry.deflated ? 8 : entry.stored ? 0 : 8;
    const body = entry.deflated?.bytes ?? (method === 8 ? deflateRawSync(data) : data);
    const crc = entry.deflated?.crc ?? crc32(data);
    const size = entry.declaredSize ?? entry.deflated?.size ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const WORD_CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';

const wordDocument = (text: string) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`,
  );

/** A DOCX whose text is `text`; `document` replaces word/document.xml, `extra` adds entries. */
export function docxFile(text = "Attestation", options: { document?: ZipEntry; extra?: ZipEntry[] } = {}): Buffer {
  return zipArchive([
    { name: "[Content_Types].xml", data: Buffer.from(WORD_CONTENT_TYPES) },
    options.document ?? { name: "word/document.xml", data: wordDocument(text) },
    ...(options.extra ?? []),
  ]);
}

/** An ODT (its « mimetype » entry first and stored, as the format requires). */
export function odtFile(text = "Attestation", options: { content?: ZipEntry; extra?: ZipEntry[] } = {}): Buffer {
  return zipArchive([
    { name: "mimetype", data: Buffer.from("application/vnd.oasis.opendocument.text"), stored: true },
    options.content ?? {
      name: "content.xml",
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>${text}</text:p></office:text></office:body></office:document-content>`,
      ),
    },
    ...(options.extra ?? []),
  ]);
}

/**
 * `megabytes` MiB of zeros, deflated without ever holding them: one MiB
 * deflated with a sync flush is a run of whole blocks with no reference
 * outside itself, so repeating it, then ending with a final empty block, is
 * a valid deflate stream (about 1 KB per MiB).
 */
export function deflatedZeros(megabytes: number): { bytes: Buffer; size: number; crc: number } {
  const zeros = Buffer.alloc(1024 * 1024);
  const block = deflateRawSync(zeros, { finishFlush: constants.Z_SYNC_FLUSH });
  let crc = 0;
  for (let i = 0; i < megabytes; i++) crc = crc32(zeros, crc);
  const end = deflateRawSync(Buffer.alloc(0));
  return { bytes: Buffer.concat([...Array.from({ length: megabytes }, () => block), end]), size: megabytes * zeros.length, crc };
}

/** A PNG carrying `text` in a tEXt chunk, before IEND. */
export function pngWithText(text: string): Buffer {
  const png = pngFile();
  const iend = png.length - 12;
  const data = Buffer.from(`Comment\0${text}`, "latin1");
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write("tEXt", 4, "ascii");
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]);
}

/** A JPEG carrying `text` in a comment segment (COM) after its header. */
export function jpegWithText(text: string): Buffer {
  const jpeg = jpegFile();
  const data = Buffer.from(text, "latin1");
  const segment = Buffer.alloc(4 + data.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(data.length + 2, 2);
  data.copy(segment, 4);
  // After SOI and the 16-byte APP0 (JFIF) segment the files.ts JPEG starts with.
  return Buffer.concat([jpeg.subarray(0, 20), segment, jpeg.subarray(20)]);
}
