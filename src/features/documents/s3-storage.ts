/**
 * The applicants' files in an S3-compatible bucket (S3_BUCKET), so that
 * several servers share them: a file uploaded through one is downloaded
 * through another. Keys are the stored names themselves, at the bucket's
 * root; the bucket must not be public (only authorized routes stream files).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { logger } from "../../logger.js";
import { DocumentStorage as StoredNames, isStoredName, StorageUnavailable, type Detection, type DocumentStorage } from "./document-storage.js";
import { IncomingFiles } from "./incoming-files.js";

export interface S3StorageOptions {
  /** Unset: Amazon S3 itself; otherwise the store's URL (https://s3.fr-par.scw.cloud, http://127.0.0.1:9000…). */
  endpoint: string | undefined;
  bucket: string;
  region: string;
  /** Unset: the SDK's usual sources (AWS_* variables, the instance's role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** http://host/bucket/key rather than http://bucket.host/key: what most self-hosted stores need. */
  forcePathStyle: boolean;
  /** The local folder for multer's temporary copies. */
  incomingDir: string;
}

/** An answer slower than this is a store in trouble: the person gets the « réessayez » message rather than a hung page. */
const CONNECTION_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 30_000;

export class S3DocumentStorage implements DocumentStorage {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly incoming: IncomingFiles;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.incoming = new IncomingFiles(options.incomingDir);
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      credentials: options.credentials,
      forcePathStyle: options.forcePathStyle,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
      // Checksums only where S3 requires them: the SDK's default (a CRC32 trailer
      // in aws-chunked encoding) is not understood by every S3-compatible store,
      // some of which then store the chunk framing as the file. keep() sends a
      // Content-MD5 instead, which every store checks.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  get incomingDir(): string {
    return this.incoming.dir;
  }

  /** The local folder, then one question to the bucket: a store that does not answer is said at start, without stopping it. */
  async init(): Promise<void> {
    await this.incoming.init();
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket })).catch((error: unknown) => {
      logger.warn({ err: error }, "stockage S3 : le bucket ne répond pas ; les justificatifs ne pourront être ni envoyés ni lus avant son retour");
    });
  }

  detect(tempPath: string, originalName: string): Promise<Detection> {
    return this.incoming.detect(tempPath, originalName);
  }

  /**
   * Uploads the temporary copy, then removes it. The file is read whole (10 Mo
   * at most, one at a time per upload): the SDK can then send it again if the
   * first attempt is cut. Its MD5 travels with it, and the store refuses bytes
   * that do not match.
   */
  async keep(tempPath: string): Promise<string> {
    const storedName = StoredNames.randomName();
    const bytes = await readFile(tempPath);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: storedName,
          Body: bytes,
          ContentLength: bytes.length,
          ContentMD5: createHash("md5").update(bytes).digest("base64"),
          ContentType: "application/octet-stream",
        }),
      );
    } catch (error) {
      throw unavailable("envoi", error);
    }
    await this.incoming.discard(tempPath);
    return storedName;
  }

  async read(storedName: string): Promise<Readable> {
    checkName(storedName);
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: storedName }));
      // In Node.js the body is the HTTP response itself, a Readable.
      return answer.Body as Readable;
    } catch (error) {
      if (isMissing(error)) throw error;
      throw unavailable("lecture", error);
    }
  }

  async remove(storedName: string): Promise<void> {
    checkName(storedName);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: storedName }));
    } catch (error) {
      throw unavailable("suppression", error);
    }
  }

  discard(tempPath: string): Promise<void> {
    return this.incoming.discard(tempPath);
  }

  /** ListObjectsV2, a page at a time, with each object's LastModified: the bucket is never listed whole in memory. */
  async *storedBefore(cutoff: Date, batchSize: number): AsyncIterable<string[]> {
    let continuationToken: string | undefined;
    do {
      const page = await this.client
        .send(new ListObjectsV2Command({ Bucket: this.bucket, MaxKeys: batchSize, ContinuationToken: continuationToken }))
        .catch((error: unknown) => {
          throw unavailable("liste", error);
        });
      const names = (page.Contents ?? [])
        .filter((object) => object.Key !== undefined && isStoredName(object.Key) && object.LastModified !== undefined && object.LastModified < cutoff)
        .map((object) => object.Key!);
      if (names.length > 0) yield names;
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  leftoversBefore(cutoff: Date): AsyncIterable<string> {
    return this.incoming.leftoversBefore(cutoff);
  }

  /** Closes the client's connections (a process that stops, a test that ends). */
  close(): void {
    this.client.destroy();
  }
}

function checkName(storedName: string): void {
  if (!isStoredName(storedName)) throw new Error("Nom de fichier stocké invalide");
}

/** The object is not there: a fact about the data, not an outage. */
function isMissing(error: unknown): boolean {
  const candidate = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return candidate.name === "NoSuchKey" || candidate.$metadata?.httpStatusCode === 404;
}

function unavailable(operation: string, cause: unknown): StorageUnavailable {
  return new StorageUnavailable(operation, { cause });
}
