/**
 * Tells whether an error means « the database cannot be reached right now »
 * (down, restarting, hung, out of connections) rather than a bug: those
 * answer the 503 « Service momentanément indisponible » page, not a 500.
 *
 * The same outage surfaces in several shapes: a pg error (session store,
 * throttles), a socket error, Prisma's driver-adapter error (with a `kind`,
 * or the PostgreSQL code in `cause`), or a Prisma client error wrapping any
 * of those. The chain of causes is walked, a few levels deep.
 */

/** PostgreSQL SQLSTATEs of a server going away, starting, refusing connections, or a cancelled (timed-out) statement. */
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300", "57014", "08000", "08001", "08003", "08004", "08006"]);
/** Socket errors, and Prisma's codes for an unreachable server, a pool or transaction that timed out. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
  "P2028",
]);
/** Prisma's driver-adapter error kinds that mean the same. */
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TransactionAlreadyClosed"]);
/** pg's own errors carry no code: their messages are stable. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)|Unable to start a transaction in the given time|Transaction already closed/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== "object" || error === null) return false;
  const candidate = error as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: unknown; originalCode?: unknown };
  for (const code of [candidate.code, candidate.originalCode]) {
    if (typeof code === "string" && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_CODES.has(code))) return true;
  }
  if (typeof candidate.kind === "string" && UNAVAILABLE_KINDS.has(candidate.kind)) return true;
  if (typeof candidate.message === "string" && UNAVAILABLE_MESSAGES.test(candidate.message)) return true;
  const meta = candidate.meta as { driverAdapterError?: unknown } | undefined;
  return [candidate.cause, meta?.driverAdapterError, meta].some((inner) => inner !== error && isDatabaseUnavailable(inner, depth + 1));
}
