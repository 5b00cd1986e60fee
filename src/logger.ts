/**
 * The portal's one logger (pino): JSON lines, one per event, that a person
 * can follow request by request (each line of a request carries its
 * `reqId`, also shown on the 500 page as « Référence de l'erreur »).
 *
 * No personal data reaches a line: requests are logged as method and path
 * (never the query string, the headers, the cookies or the body), errors as
 * their type, code, first line of message (e-mail addresses and IBANs
 * masked) and stack frames, and the usual personal fields are redacted
 * wherever they appear one level deep.
 */
import pino, { type DestinationStream, type Level, type Logger } from "pino";

export type { Logger };
export type LogLevel = Level | "silent";
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const satisfies readonly LogLevel[];

/** Fields that name or identify a person, or carry what they typed or sent. */
const PERSONAL_FIELDS = [
  "email",
  "newEmail",
  "aidantEmail",
  "firstName",
  "lastName",
  "birthName",
  "accountHolder",
  "iban",
  "bic",
  "taxIncome",
  "referenceTaxIncome",
  "fileName",
  "filename",
  "originalName",
  "originalname",
  "password",
  "body",
  "cookie",
  "authorization",
];

export const REDACTED_PATHS = [...PERSONAL_FIELDS, ...PERSONAL_FIELDS.map((field) => `*.${field}`), 'headers["set-cookie"]', '*.headers["set-cookie"]'];

const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[a-z]{2,}/gi;
// Two capitals, two check digits, then groups of four capitals or digits (a space allowed between groups) and a last short one.
const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b/g;

/** A text from outside our code (an error message) with what looks like an e-mail address or an IBAN masked. */
export function maskPersonalData(text: string): string {
  return text.replace(EMAIL, "[e-mail]").replace(IBAN, "[IBAN]");
}

interface SerializedError {
  type: string;
  code?: string;
  message: string;
  stack?: string;
}

/**
 * Errors without what their message may quote: a database error quotes the
 * values it refused, a mail error the address. The stack keeps its frames
 * only (its first line repeats the message).
 */
export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { type: typeof error, message: "" };
  const code = (error as { code?: unknown }).code;
  const frames = error.stack
    ?.split("\n")
    .filter((line) => /^\s+at /.test(line))
    .join("\n");
  return {
    type: error.name,
    ...(typeof code === "string" || typeof code === "number" ? { code: String(code) } : {}),
    message: maskPersonalData(error.message.split("\n")[0] ?? ""),
    ...(frames ? { stack: frames } : {}),
  };
}

interface RequestLike {
  id?: unknown;
  method?: string;
  originalUrl?: string;
  url?: string;
}

/** The path without its query string: links' tokens and search terms travel there. */
export function pathOf(req: RequestLike): string {
  return (req.originalUrl ?? req.url ?? "").split("?")[0] ?? "";
}

export const serializers = {
  err: serializeError,
  error: serializeError,
  req: (req: RequestLike) => ({ id: req.id, method: req.method, path: pathOf(req) }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

export function createLogger(level: LogLevel = "info", destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers,
      redact: { paths: REDACTED_PATHS, censor: "[masqué]" },
    },
    destination ?? standardStreams(),
  );
}

/**
 * Errors on the standard error, the rest on the standard output, as a
 * terminal or a service manager expects; synchronous, so that the last lines
 * before process.exit() are written.
 */
function standardStreams(): DestinationStream {
  return pino.multistream(
    [
      { level: "trace", stream: pino.destination({ fd: 1, sync: true }) },
      { level: "error", stream: pino.destination({ fd: 2, sync: true }) },
    ],
    { dedupe: true },
  );
}

/**
 * The process's logger, for what happens outside a request (start, mail
 * worker, sweeps, the database pool). Requests log through `req.log`, a
 * child that adds their id. src/server.ts sets its level from LOG_LEVEL.
 */
export const logger: Logger = createLogger();
