/**
 * Counts the statements the app sends to PostgreSQL: every pg client of the
 * process (the session pool and Prisma's adapter pool) goes through
 * pg.Client#query, once per round trip (BEGIN and COMMIT included).
 */
import pg from "pg";

export interface SentQuery {
  text: string;
}

export function recordQueries(): { sent: SentQuery[]; stop: () => void } {
  const sent: SentQuery[] = [];
  const prototype = pg.Client.prototype;
  const original = Reflect.get(prototype, "query") as (this: pg.Client, ...args: unknown[]) => unknown;
  function recording(this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "");
    sent.push({ text });
    return original.apply(this, args);
  }
  Reflect.set(prototype, "query", recording);
  return { sent, stop: () => void Reflect.set(prototype, "query", original) };
}
