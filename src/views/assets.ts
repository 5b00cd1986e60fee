/**
 * The files of public/, read once at start and fingerprinted: each gets a
 * second URL with the first hex digits of its content's hash
 * (`/css/portail.css` → `/static/css/portail.3f2a9c1e.css`). That URL never
 * changes meaning, so browsers may keep it for a year without asking again;
 * a new version of the file gets a new URL, which the pages link to through
 * `asset()`. The plain URL keeps working for whoever kept it (a bookmark, an
 * old page), revalidated at each use.
 *
 * Files are held in memory (public/ is a few kilobytes): a fingerprinted URL
 * always answers the bytes its hash names, and a page request no longer costs
 * a look at the disk to find out it is not a file. A file changed on disk is
 * served after a restart, as templates are (`npm run dev` restarts on it).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Where the fingerprinted URLs live. */
export const FINGERPRINT_PREFIX = "/static";
const HASH_LENGTH = 8;

export interface PublicFile {
  /** Its plain URL, e.g. « /css/portail.css ». */
  url: string;
  /** Its fingerprinted URL, e.g. « /static/css/portail.3f2a9c1e.css ». */
  fingerprintedUrl: string;
  /** The extension, for the Content-Type (« .css »). */
  extension: string;
  content: Buffer;
  /** A strong ETag from the content's hash, computed once (Express would hash the bytes at every request). */
  etag: string;
}

export interface AssetManifest {
  /** The fingerprinted URL of a public file, for the views; the URL unchanged when it is not one (never a broken link). */
  asset: (url: string) => string;
  /** The file at a plain URL, if any. */
  byUrl: (url: string) => PublicFile | undefined;
  /** The file at a fingerprinted URL, if any (a former fingerprint is not one). */
  byFingerprintedUrl: (url: string) => PublicFile | undefined;
}

function contentHash(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

export function fingerprintedUrl(url: string, content: Buffer): string {
  const extension = path.posix.extname(url);
  return `${FINGERPRINT_PREFIX}${url.slice(0, url.length - extension.length)}.${contentHash(content).slice(0, HASH_LENGTH)}${extension}`;
}

function filesUnder(folder: string, prefix = ""): { url: string; file: string }[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    // Hidden files (.gitkeep, an editor's swap file) are not published.
    if (entry.name.startsWith(".")) return [];
    const file = path.join(folder, entry.name);
    const url = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) return filesUnder(file, url);
    return entry.isFile() ? [{ url, file }] : [];
  });
}

/** Reads every file of `publicDir` and computes its fingerprinted URL. */
export function buildAssetManifest(publicDir: string): AssetManifest {
  const byUrl = new Map<string, PublicFile>();
  const byFingerprint = new Map<string, PublicFile>();
  for (const { url, file } of filesUnder(publicDir)) {
    const content = readFileSync(file);
    const entry = {
      url,
      fingerprintedUrl: fingerprintedUrl(url, content),
      extension: path.extname(file),
      content,
      etag: `"${contentHash(content).slice(0, 32)}"`,
    };
    byUrl.set(url, entry);
    byFingerprint.set(entry.fingerprintedUrl, entry);
  }
  return {
    asset: (url) => byUrl.get(url)?.fingerprintedUrl ?? url,
    byUrl: (url) => byUrl.get(url),
    byFingerprintedUrl: (url) => byFingerprint.get(url),
  };
}
