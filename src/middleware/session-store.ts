/**
 * The session store: connect-pg-simple, with two changes that take the
 * database off the path of a page view.
 *
 * - No touch: a page view writes nothing. The idle timeout is kept by
 *   sessionLifetime() (session.ts), which rewrites lastSeenAt at most once a
 *   minute; that change saves the session, and the save pushes the row's
 *   expiry back. So the row expires at most a minute earlier than the idle
 *   rule, which is checked exactly on every request anyway.
 * - One round trip: the session is read together with its person (the
 *   account whose id passport stored in it), so that deserializeUser
 *   (auth.ts) needs no query of its own.
 */
import connectPgSimple from "connect-pg-simple";
import session, { type SessionData } from "express-session";
import type { Request } from "express";
import type pg from "pg";
import { z } from "zod";

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
type ReadSession = SessionData & { [PREFETCHED]?: PrefetchedAccount };

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
    SELECT sess, COALESCE(sess #>> '{passport,user,id}', sess #>> '{passport,user}') AS login
    FROM "session" WHERE sid = $1 AND expire >= to_timestamp($2)
  )
  SELECT s.sess, u.id AS "userId", u.email, u."firstName", u."lastName", u.role::text AS role, u."sessionVersion",
         (u."disabledAt" IS NULL AND u."passwordHash" IS NOT NULL) AS active
  FROM s LEFT JOIN "User" u
    ON u.id = CASE WHEN s.login ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN s.login::uuid END`;

export function createSessionStore(options: { pool: pg.Pool; ttlSeconds: number; pruneIntervalSeconds: number }): session.Store {
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
        callback(null, stored);
      }, callback);
    }

    override createSession(req: Request, stored: SessionData): session.Session & SessionData {
      const account = (stored as ReadSession)[PREFETCHED];
      if (account) prefetchedByRequest.set(req, account);
      return super.createSession(req, stored);
    }
  }

  return new SessionWithAccountStore({
    pool,
    tableName: "session",
    ttl: options.ttlSeconds,
    disableTouch: true,
    pruneSessionInterval: options.pruneIntervalSeconds,
  });
}
