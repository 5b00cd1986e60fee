/**
 * The session store: connect-pg-simple, with two changes that take the
 * database off the path of a page view.
 *
 * - A coarse touch: a page view writes nothing unless the stored expiry is
 *   more than a minute old, then pushes it back (at most one write a minute
 *   per session, anonymous ones included, so that a form keeps its session
 *   while the visitor browses). A logged-in session is also saved when
 *   sessionLifetime() (session.ts) rewrites lastSeenAt, at most once a
 *   minute; the idle logout itself is checked exactly by lastSeenAt.
 * - One round trip: the session is read together with its person (the
 *   account whose id passport stored in it), so that deserializeUser
 *   (auth.ts) needs no query of its own.
 */
import connectPgSimple from "connect-pg-simple";
import session, { type SessionData } from "express-session";
import type { Request } from "express";
import type pg from "pg";
import { z } from "zod";
import { logger } from "../logger.js";

/** The account read with the session: what a page needs of the person, and what decides whether the login still holds. */
const prefetchedSchema = z.object({
  userId: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  role: z.enum(["APPLICANT", "AGENT", "ADMIN"]),
  sessionVersion: z.number().int(),
  /** Not disabled, and with a password. */
  active: z.boolean(),
});
export type PrefetchedAccount = z.output<typeof prefetchedSchema>;

const PREFETCHED = Symbol("prefetched account");
/** The stored expiry (seconds since the epoch) as read with the session: decides whether to touch. */
const STORED_EXPIRY = Symbol("stored expiry");
type ReadSession = SessionData & { [PREFETCHED]?: PrefetchedAccount; [STORED_EXPIRY]?: number };

/** A page view pushes the stored expiry back only when it has moved by this much. */
const TOUCH_PRECISION_SECONDS = 60;

/** The account read with this request's session, if its session holds a login whose account exists. */
const prefetchedByRequest = new WeakMap<Request, PrefetchedAccount>();

export function prefetchedAccount(req: Request): PrefetchedAccount | undefined {
  return prefetchedByRequest.get(req);
}

/**
 * The login's account id is passport's `{ id, version }` (or, in sessions
 * older than versions, the bare id). Anything that is not a uuid joins
 * nothing rather than failing the cast. The join is on the User primary key.
 */
const READ_SESSION_WITH_ACCOUNT = `
  WITH s AS (
    SELECT sess, EXTRACT(EPOCH FROM expire::timestamptz)::float8 AS "expireEpoch",
           COALESCE(sess #>> '{passport,user,id}', sess #>> '{passport,user}') AS login
    FROM "session" WHERE sid = $1 AND expire >= to_timestamp($2)
  )
  SELECT s.sess, s."expireEpoch", u.id AS "userId", u.email, u."firstName", u."lastName", u.role::text AS role, u."sessionVersion",
         (u."disabledAt" IS NULL AND u."passwordHash" IS NOT NULL) AS active
  FROM s LEFT JOIN "User" u
    ON u.id = CASE WHEN s.login ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN s.login::uuid END`;

/** Where the store's own failures go (the pruning of expired sessions): the portal's log, never the console. */
type StoreErrorLog = (message: string, error: unknown) => void;
const logStoreError: StoreErrorLog = (message, error) => logger.warn({ err: error }, `sessions : ${message}`);

export function createSessionStore(options: { pool: pg.Pool; ttlSeconds: number; pruneIntervalSeconds: number; errorLog?: StoreErrorLog }): session.Store {
  const PgStore = connectPgSimple(session);
  const { pool } = options;

  class SessionWithAccountStore extends PgStore {
    private pruning = false;

    override get(sid: string, callback: (error: unknown, session?: SessionData | null) => void): void {
      // connect-pg-simple starts its periodic pruning on its first read; this read replaces its own.
      if (!this.pruning) {
        this.pruning = true;
        setTimeout(() => this.pruneSessions(), options.pruneIntervalSeconds * 1000).unref();
      }
      pool.query<Record<string, unknown>>(READ_SESSION_WITH_ACCOUNT, [sid, Math.ceil(Date.now() / 1000)]).then((result) => {
        const row = result.rows[0];
        if (!row) {
          callback(null, null);
          return;
        }
        const stored = (typeof row.sess === "string" ? JSON.parse(row.sess) : row.sess) as ReadSession;
        const account = prefetchedSchema.safeParse(row);
        // A symbol key: express-session neither copies it into the session nor counts it in its change check.
        if (account.success) stored[PREFETCHED] = account.data;
        if (typeof row.expireEpoch === "number") stored[STORED_EXPIRY] = row.expireEpoch;
        callback(null, stored);
      }, callback);
    }

    override createSession(req: Request, stored: SessionData): session.Session & SessionData {
      const account = (stored as ReadSession)[PREFETCHED];
      if (account) prefetchedByRequest.set(req, account);
      const expiry = (stored as ReadSession)[STORED_EXPIRY];
      const created = super.createSession(req, stored);
      // Not enumerable: never stored, never part of express-session's change check.
      if (expiry !== undefined) Object.defineProperty(created, STORED_EXPIRY, { value: expiry, enumerable: false });
      return created;
    }

    /**
     * The pruning's timer outlives the pool: at a stop, the server ends the
     * pool while a prune may still be planned. Once the pool ends, pruning
     * stops quietly (another server, or the next start, prunes).
     */
    override pruneSessions(callback?: (err: Error) => void): void {
      if (pool.ending) {
        // No error to report (the library too calls back without one on success, whatever its type says).
        (callback as ((err?: Error) => void) | undefined)?.();
        return;
      }
      super.pruneSessions(callback);
    }

    /** Called by express-session after a page view that changed nothing in the session. */
    override touch(sid: string, stored: SessionData, callback?: (error?: unknown) => void): void {
      const storedExpiry = (stored as ReadSession)[STORED_EXPIRY];
      const expiry = Math.ceil(Date.now() / 1000) + options.ttlSeconds;
      // A remembered session's expiry is its cookie's, fixed from login: nothing to push back.
      if (stored.cookie.expires || storedExpiry === undefined || expiry - storedExpiry < TOUCH_PRECISION_SECONDS) {
        callback?.();
        return;
      }
      pool.query(`UPDATE "session" SET expire = to_timestamp($1) WHERE sid = $2`, [expiry, sid]).then(
        () => callback?.(),
        (error: unknown) => callback?.(error),
      );
    }
  }

  return new SessionWithAccountStore({
    pool,
    tableName: "session",
    ttl: options.ttlSeconds,
    disableTouch: true,
    pruneSessionInterval: options.pruneIntervalSeconds,
    errorLog: options.errorLog ?? logStoreError,
  });
}
