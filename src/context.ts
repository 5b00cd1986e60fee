/**
 * What every service needs from the outside world: the one context type of
 * the code. Built once in createApp (and by scripts), never read from the
 * environment by a service.
 */
import type pg from "pg";
import type { Database } from "./db/prisma.js";
import type { Antivirus } from "./features/documents/antivirus.js";
import type { DocumentStorage } from "./features/documents/document-storage.js";
import type { Clock } from "./lib/clock.js";
import type { FieldCipher } from "./lib/encryption.js";

export interface AppContext {
  db: Database;
  /** The pg pool shared with the session store and the throttles: for what Prisma does not do well, such as streaming the CSV export from a cursor. */
  pool: pg.Pool;
  clock: Clock;
  /** The portal's address as people reach it, for links in mails. */
  publicUrl: string;
  /** Encrypts the IBAN at rest. */
  cipher: FieldCipher;
  /** Where the applicants' documents live (never served statically). */
  storage: DocumentStorage;
  /** Scans every uploaded file before it is stored (clamd; no scan in development without CLAMAV_URL). */
  antivirus: Antivirus;
}
