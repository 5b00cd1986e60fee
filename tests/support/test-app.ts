/**
 * Builds the real application for one test file: its own fresh database
 * (copied from the migrated template), a real SMTP server on loopback that
 * receives the mails, and a clock the test can move forward.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { createPool, endPool } from "../../src/db/pool.js";
import { closeDatabase, createDatabase, type Database } from "../../src/db/prisma.js";
import type { DocumentStorage } from "../../src/features/documents/document-storage.js";
import { LocalDocumentStorage } from "../../src/features/documents/local-storage.js";
import { AfterResponse } from "../../src/lib/after-response.js";
import type { Clock } from "../../src/lib/clock.js";
import { logger as processLogger, type Logger } from "../../src/logger.js";
import { MailDelivery, smtpSender } from "../../src/mail/outbox.js";
import { defaultThrottleRules, type ThrottleRules } from "../../src/middleware/rate-limit.js";
import { SmtpCatcher } from "./smtp-catcher.js";

export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export const PUBLIC_URL = "http://portail.test";

// Tests are quiet: the lines of the process's logger (mail worker, pools) only with LOG_LEVEL=debug npm test, say.
processLogger.level = process.env.LOG_LEVEL ?? "silent";

export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `amethyste_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("templateDatabase")}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestContext {
  app: ReturnType<typeof createApp>;
  db: Database;
  pool: pg.Pool;
  clock: TestClock;
  smtp: SmtpCatcher;
  delivery: MailDelivery;
  databaseUrl: string;
  storage: DocumentStorage;
  uploadsDir: string;
  /** Delivers the queued mails to the SMTP catcher now (the worker's job, made deterministic), once the work after answers has ended. */
  deliverMails(): Promise<number>;
  close(): Promise<void>;
}

/** For test files where many applicants register from the same address (127.0.0.1). */
export const MANY_REGISTRATIONS: ThrottleRules = {
  ...defaultThrottleRules,
  registrationPerIp: { points: 1000, durationSeconds: 3600, blockSeconds: 60 },
};

/** Signs the session cookies of the test app (a test may plant a session and sign its cookie). */
export const TEST_SESSION_SECRET = "un-secret-de-test-suffisamment-long-0123456789";

export const TEST_IBAN_KEY = Buffer.alloc(32, 42).toString("base64");

export async function createTestContext(
  options: {
    throttleRules?: ThrottleRules;
    env?: Record<string, string>;
    /** The app reaches its database through this loopback port (a TcpProxy the test can cut or freeze). */
    databasePort?: number;
    /** The wait before answering a failed login: none by default, so that tests do not sleep. */
    loginSlowDown?: (ms: number) => Promise<void>;
    /** Runs the work done after an answer (a test can hold it back). */
    afterResponse?: AfterResponse;
    /** Where the app's request lines go (captureLogs()); by default the process's logger, silent in tests. */
    logger?: Logger;
    /** Where documents go, given the test's uploads folder (s3-server.ts makes a bucket's); by default that folder itself. */
    storage?: (uploadsDir: string) => DocumentStorage;
    /** Another app's database (two servers, one portal): this context then neither creates nor drops one. */
    sharedDatabaseUrl?: string;
    /** Another app's SMTP catcher (two servers, one portal): this context then neither starts nor stops one. */
    sharedSmtp?: SmtpCatcher;
  } = {},
): Promise<TestContext> {
  const database = options.sharedDatabaseUrl ? { url: options.sharedDatabaseUrl, drop: () => Promise.resolve() } : await createTestDatabase();
  const appDatabaseUrl = new URL(database.url);
  if (options.databasePort) appDatabaseUrl.port = String(options.databasePort);
  const smtp = options.sharedSmtp ?? new SmtpCatcher();
  if (!options.sharedSmtp) await smtp.start();
  const config = parseConfig({ NODE_ENV: "test", PUBLIC_URL: PUBLIC_URL, SMTP_URL: smtp.url, LOG_REQUESTS: "false", ...options.env });
  const db = createDatabase(appDatabaseUrl.toString());
  const pool = createPool(appDatabaseUrl.toString(), 4);
  const clock = new TestClock();
  const delivery = new MailDelivery(db, smtpSender(smtp.url), config.mailFrom, clock);
  const uploadsDir = await mkdtemp(path.join(os.tmpdir(), "amethyste-test-uploads-"));
  const storage = options.storage ? options.storage(uploadsDir) : new LocalDocumentStorage(uploadsDir);
  await storage.init();
  const afterResponse = options.afterResponse ?? new AfterResponse();
  const app = createApp({
    config: { ...config, sessionSecret: TEST_SESSION_SECRET, ibanEncryptionKey: TEST_IBAN_KEY },
    db,
    pool,
    clock,
    storage,
    throttleRules: options.throttleRules,
    afterResponse,
    loginSlowDown: options.loginSlowDown ?? (() => Promise.resolve()),
    logger: options.logger,
  });
  return {
    app,
    db,
    pool,
    clock,
    smtp,
    delivery,
    databaseUrl: database.url,
    storage,
    uploadsDir,
    deliverMails: async () => {
      await afterResponse.idle();
      return delivery.deliverDue();
    },
    async close() {
      await afterResponse.idle();
      await delivery.stop();
      await Promise.all([endPool(pool), closeDatabase(db)]);
      storage.close();
      if (!options.sharedSmtp) await smtp.stop();
      await database.drop();
      await rm(uploadsDir, { recursive: true, force: true });
    },
  };
}
