/**
 * Configuration, parsed once from the environment with zod. Every variable is
 * documented in .env.example. In production the secrets are required and the
 * process refuses to start without them; elsewhere safe development defaults
 * apply (see src/lib/dev-secrets.ts).
 */
import { z } from "zod";
import { LOG_LEVELS, type LogLevel } from "./logger.js";
import { retentionEnvironment, retentionSettings, type RetentionSettings } from "./features/retention/retention-config.js";

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const environmentSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default(".data")),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  SESSION_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "SESSION_SECRET doit faire au moins 32 caractères").optional()),
  IBAN_ENCRYPTION_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => Buffer.from(value, "base64").length === 32, "IBAN_ENCRYPTION_KEY doit être 32 octets encodés en base64")
      .optional(),
  ),
  UPLOADS_DIR: z.preprocess(emptyAsUndefined, z.string().default("uploads")),
  S3_BUCKET: z.preprocess(emptyAsUndefined, z.string().optional()),
  S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.url("S3_ENDPOINT doit être une URL (https://…)").optional()),
  S3_REGION: z.preprocess(emptyAsUndefined, z.string().default("us-east-1")),
  S3_ACCESS_KEY_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  S3_SECRET_ACCESS_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  S3_FORCE_PATH_STYLE: z.preprocess(emptyAsUndefined, z.enum(["true", "false"]).default("false")),
  SMTP_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().default("Département de la Seine-Saint-Denis <amethyste@seinesaintdenis.fr>")),
  TRUST_PROXY: z.preprocess(emptyAsUndefined, z.enum(["true", "false"]).default("false")),
  LOG_REQUESTS: z.preprocess(emptyAsUndefined, z.enum(["true", "false"]).default("true")),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(LOG_LEVELS).default("info")),
  CLAMAV_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => parseClamavUrl(value) !== null, "CLAMAV_URL doit être l'adresse TCP du démon clamd, par exemple tcp://clamav.interne:3310")
      .optional(),
  ),
  CLAMAV_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Who answers people who cannot use the portal (the accessibility statement, the legal pages). */
  CONTACT_EMAIL: z.preprocess(emptyAsUndefined, z.email("CONTACT_EMAIL doit être une adresse e-mail").default("amethyste@seinesaintdenis.fr")),
  CONTACT_POSTAL_ADDRESS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default("Département de la Seine-Saint-Denis, Direction de la population âgée et des personnes handicapées, Hôtel du Département, 93006 Bobigny Cedex"),
  ),
  ...retentionEnvironment,
});

export interface AppConfig {
  env: "development" | "production" | "test";
  port: number;
  publicUrl: string;
  /** Undefined: start the embedded PostgreSQL (never in production). */
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  /** Undefined outside production until filled from the development secrets. */
  sessionSecret: string | undefined;
  /** Base64 AES-256 key for the IBAN; undefined outside production until filled from the development secrets. */
  ibanEncryptionKey: string | undefined;
  /** Where the applicants' documents are stored without a bucket, and the temporary copies of uploads (never served statically). */
  uploadsDir: string;
  /** Undefined: documents stay in uploadsDir. Set: they go to this S3-compatible bucket. */
  s3: S3Config | undefined;
  /** Undefined: mails go to the development mailbox at /dev/mails. */
  smtpUrl: string | undefined;
  mailFrom: string;
  trustProxy: boolean;
  logRequests: boolean;
  /** The least serious level written to the log. */
  logLevel: LogLevel;
  /** The ClamAV daemon that scans every uploaded file; undefined: files are not scanned (refused in production). */
  clamav: { address: { host: string; port: number }; timeoutMs: number } | undefined;
  /** The département's contact for people who cannot use the portal. */
  contact: { email: string; postalAddress: string };
  /** True when cookies must be marked Secure (the public URL is HTTPS). */
  secureCookies: boolean;
  /** How long personal data is kept, and the data protection officer's address (RGPD). */
  retention: RetentionSettings;
}

export interface S3Config {
  bucket: string;
  /** Undefined: Amazon S3. */
  endpoint: string | undefined;
  region: string;
  /** Undefined: the SDK's usual sources (AWS_* variables, the instance's role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle: boolean;
}

export class ConfigError extends Error {}

export function parseConfig(environment: NodeJS.ProcessEnv): AppConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Configuration invalide:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  const publicUrl = (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, "");

  if (values.NODE_ENV === "production") {
    const missing = [
      values.SESSION_SECRET ? null : "SESSION_SECRET",
      values.IBAN_ENCRYPTION_KEY ? null : "IBAN_ENCRYPTION_KEY",
      values.DATABASE_URL ? null : "DATABASE_URL",
      values.SMTP_URL ? null : "SMTP_URL",
      values.PUBLIC_URL ? null : "PUBLIC_URL",
    ].filter((name): name is string => name !== null);
    if (missing.length > 0) {
      throw new ConfigError(`En production, ces variables sont obligatoires: ${missing.join(", ")}`);
    }
  }

  const s3Problem = checkS3(values);
  if (s3Problem) throw new ConfigError(`Configuration invalide:\n${s3Problem}`);

  return {
    env: values.NODE_ENV,
    port: values.PORT,
    publicUrl,
    databaseUrl: values.DATABASE_URL,
    dataDir: values.DATA_DIR,
    embeddedPgPort: values.EMBEDDED_PG_PORT,
    sessionSecret: values.SESSION_SECRET,
    ibanEncryptionKey: values.IBAN_ENCRYPTION_KEY,
    uploadsDir: values.UPLOADS_DIR,
    s3: values.S3_BUCKET
      ? {
          bucket: values.S3_BUCKET,
          endpoint: values.S3_ENDPOINT,
          region: values.S3_REGION,
          credentials:
            values.S3_ACCESS_KEY_ID && values.S3_SECRET_ACCESS_KEY
              ? { accessKeyId: values.S3_ACCESS_KEY_ID, secretAccessKey: values.S3_SECRET_ACCESS_KEY }
              : undefined,
          forcePathStyle: values.S3_FORCE_PATH_STYLE === "true",
        }
      : undefined,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    trustProxy: values.TRUST_PROXY === "true",
    logRequests: values.LOG_REQUESTS === "true",
    logLevel: values.LOG_LEVEL,
    clamav: values.CLAMAV_URL ? { address: parseClamavUrl(values.CLAMAV_URL)!, timeoutMs: values.CLAMAV_TIMEOUT_MS } : undefined,
    contact: { email: values.CONTACT_EMAIL, postalAddress: values.CONTACT_POSTAL_ADDRESS },
    secureCookies: publicUrl.startsWith("https://"),
    retention: retentionSettings(values),
  };
}

/** « tcp://host:3310 » → host and port (3310 when none is given); null when it is not such an address. */
export function parseClamavUrl(url: string): { host: string; port: number } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const port = Number(parsed.port || 3310);
  if (parsed.protocol !== "tcp:" || parsed.hostname === "" || !Number.isInteger(port)) return null;
  return { host: parsed.hostname.replace(/^\[|\]$/g, ""), port };
}

/** The S3 variables make sense together: a bucket for an endpoint, both keys or neither. */
function checkS3(values: z.output<typeof environmentSchema>): string | null {
  const s3Variables = [values.S3_ENDPOINT, values.S3_ACCESS_KEY_ID, values.S3_SECRET_ACCESS_KEY];
  if (!values.S3_BUCKET && s3Variables.some((value) => value !== undefined)) {
    return "S3_BUCKET: obligatoire quand S3_ENDPOINT ou les clés S3 sont données (sinon les justificatifs restent dans UPLOADS_DIR)";
  }
  if ((values.S3_ACCESS_KEY_ID === undefined) !== (values.S3_SECRET_ACCESS_KEY === undefined)) {
    return "S3_ACCESS_KEY_ID et S3_SECRET_ACCESS_KEY vont ensemble : donnez les deux, ou aucune";
  }
  return null;
}
