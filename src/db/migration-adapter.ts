/**
 * The driver adapter that the Prisma CLI (migrate deploy / dev / status) uses.
 *
 * Prisma 6.19's CLI can only migrate offline through its bundled WASM schema
 * engine ("engine: js"), which talks to PostgreSQL through @prisma/adapter-pg.
 * Four bugs of that pairing need working around; each fix is the smallest
 * wrapper that made `migrate dev` and `migrate deploy` pass, and each is
 * described where it is fixed below (« Bug 1 » to « Bug 4 »; the README's
 * « Prisma offline » says how to run them). The runtime client does not use this
 * module: it uses plain PrismaPg (src/db/prisma.ts).
 */
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// Shapes of adapter-pg's objects that we reach into. performIO is private in
// its typings but is the one place every query result passes through.
interface PgResult {
  fields: { dataTypeID: number }[];
}
interface PatchableQueryable {
  performIO?: (query: unknown) => Promise<PgResult>;
  underlyingDriver?: () => pg.Pool;
  onError?: (error: unknown) => never;
  executeRaw: (query: { sql: string; args: unknown[] }) => Promise<number>;
  executeScript: (script: string) => Promise<void>;
  startTransaction?: (...args: unknown[]) => Promise<PatchableQueryable>;
  dispose: () => Promise<void>;
}

const PG_NAME_OID = 19;
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * Bug 1: the schema engine reads pg_catalog columns of type `name` and
 * `"char"`, which adapter-pg refuses to deserialize. They are plain text, so
 * report them as text.
 */
function reportCatalogTypesAsText<T extends PatchableQueryable>(queryable: T): T {
  const original = queryable.performIO;
  if (original) {
    queryable.performIO = async (query) => {
      const result = await original.call(queryable, query);
      for (const field of result.fields) {
        if (field.dataTypeID === PG_NAME_OID || field.dataTypeID === PG_CHAR_OID) {
          field.dataTypeID = PG_TEXT_OID;
        }
      }
      return result;
    };
  }
  const startTransaction = queryable.startTransaction;
  if (startTransaction) {
    queryable.startTransaction = async (...args) => reportCatalogTypesAsText(await startTransaction.apply(queryable, args));
  }
  return queryable;
}

/**
 * pg lets a connectionString override an explicit `database`; giving pg the
 * URL's parts instead lets the shadow database below replace the database.
 */
export function poolConfigFromUrl(databaseUrl: string): pg.PoolConfig {
  const url = new URL(databaseUrl);
  return {
    host: decodeURIComponent(url.hostname),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    max: 4,
  };
}

/**
 * Bug 4: adapter-pg's executeScript splits a migration on every ";", which
 * cuts a PL/pgSQL body (the audit log's trigger function) in pieces. A
 * parameterless query may hold many statements in PostgreSQL's simple query
 * protocol, so send the script whole.
 */
function runScriptsWhole<T extends PatchableQueryable>(queryable: T): T {
  const pool = queryable.underlyingDriver?.();
  if (pool) {
    queryable.executeScript = async (script) => {
      try {
        await pool.query(script);
      } catch (error) {
        queryable.onError?.(error);
        throw error;
      }
    };
  }
  return queryable;
}

class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly poolConfig: pg.PoolConfig) {
    super(poolConfig);
  }

  override async connect() {
    return (await this.connectPatched()) as never;
  }

  private async connectPatched(): Promise<PatchableQueryable> {
    return runScriptsWhole(reportCatalogTypesAsText((await super.connect()) as unknown as PatchableQueryable));
  }

  /**
   * Bug 3: with a fixed shadow database the second `migrate dev` finds the
   * first one's tables. Create a uniquely named one through the main
   * connection and drop it on dispose, once its own pool is closed
   * (adapter-pg's version drops it first, which PostgreSQL refuses).
   */
  override async connectToShadowDb() {
    const main = await this.connectPatched();
    const database = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = runScriptsWhole(reportCatalogTypesAsText((await new PrismaPg({ ...this.poolConfig, database }).connect()) as unknown as PatchableQueryable));
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await disposeShadow();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await main.dispose();
    };
    // Bug 2: `migrate dev` replays each migration file on the shadow database
    // as one argument-less executeRaw holding many statements, which the
    // extended query protocol refuses. Send those as a script instead. Only
    // on the shadow connection: on the main one it breaks the bookkeeping.
    const executeRaw = shadow.executeRaw.bind(shadow);
    shadow.executeRaw = async (query) => {
      if (query.args.length === 0) {
        await shadow.executeScript(query.sql);
        return 0;
      }
      return executeRaw(query);
    };
    return shadow as never;
  }
}

export function createMigrationAdapter(databaseUrl: string): PrismaPg {
  return new MigrationAdapterFactory(poolConfigFromUrl(databaseUrl));
}
