/** The store the configuration chooses: a bucket when S3_BUCKET is set, else the local folder (UPLOADS_DIR). */
import path from "node:path";
import type { AppConfig } from "../../config.js";
import type { DocumentStorage } from "./document-storage.js";
import { LocalDocumentStorage } from "./local-storage.js";
import { S3DocumentStorage } from "./s3-storage.js";

export function storageFromConfig(config: Pick<AppConfig, "uploadsDir" | "s3">): DocumentStorage {
  const uploadsDir = path.resolve(config.uploadsDir);
  if (!config.s3) return new LocalDocumentStorage(uploadsDir);
  // The temporary copies stay on this server, in the same place as without a bucket.
  return new S3DocumentStorage({ ...config.s3, incomingDir: path.join(uploadsDir, ".incoming") });
}
