/**
 * « Je crée mon compte » and « Mot de passe oublié ? » answer before the
 * address is looked up, so that their timing cannot tell whether an account
 * exists (issue 7, item 6). What they acknowledge must still never be lost
 * (issue 8): the request is first recorded by one INSERT, the same whatever
 * the address, then done just after the answer has left, in a transaction
 * that deletes the record. A record left behind (the process killed, the
 * database gone at that moment) is done by the next sweep, so each request is
 * done exactly once.
 */
import { z } from "zod";
import type { Transaction } from "../../db/prisma.js";
import { startPeriodicJob, type PeriodicJob } from "../../lib/periodic-job.js";
import { registerIn, requestPasswordResetIn, type AccountContext } from "./account-service.js";

/** The recorded request, as written and as read back from its JSON column. */
const accountRequest = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("REGISTRATION"), payload: z.object({ firstName: z.string(), lastName: z.string(), email: z.string() }) }),
  z.object({ kind: z.literal("PASSWORD_RESET"), payload: z.object({ email: z.string() }) }),
]);
export type AccountRequestInput = z.infer<typeof accountRequest>;

/** Records the request; its id is then handed to `doAccountRequest` after the answer. */
export async function recordAccountRequest(ctx: AccountContext, input: AccountRequestInput): Promise<string> {
  const row = await ctx.db.accountRequest.create({ data: { kind: input.kind, payload: input.payload }, select: { id: true } });
  return row.id;
}

/** Does one recorded request, unless another process is doing it or has done it. */
export async function doAccountRequest(ctx: AccountContext, id: string): Promise<void> {
  await ctx.db.$transaction(async (tx: Transaction) => {
    const [row] = await tx.$queryRaw<{ kind: string; payload: unknown }[]>`
      SELECT kind, payload FROM "AccountRequest" WHERE id = ${id}::uuid FOR UPDATE SKIP LOCKED`;
    if (!row) return;
    // A record that does not read back as a request (written by hand?) is dropped rather than retried for ever.
    const request = accountRequest.safeParse(row);
    if (request.success && request.data.kind === "REGISTRATION") await registerIn(tx, ctx, request.data.payload);
    else if (request.success && request.data.kind === "PASSWORD_RESET") await requestPasswordResetIn(tx, ctx, request.data.payload.email);
    await tx.accountRequest.delete({ where: { id } });
  });
}

/** Does the requests left behind for longer than `olderThanMs`; returns how many were found. */
export async function doLeftoverAccountRequests(ctx: AccountContext, olderThanMs = 30_000): Promise<number> {
  const leftovers = await ctx.db.accountRequest.findMany({
    where: { createdAt: { lt: new Date(ctx.clock.now().getTime() - olderThanMs) } },
    orderBy: { createdAt: "asc" },
    select: { id: true },
    take: 500,
  });
  for (const { id } of leftovers) await doAccountRequest(ctx, id);
  return leftovers.length;
}

/**
 * At start, then every 30 seconds: the requests a crash or an outage left
 * behind. `stop()` waits for the round in progress (src/lib/periodic-job.ts):
 * the server ends its pools right after.
 */
export function startAccountRequestSweeper(ctx: AccountContext, report: (error: unknown) => void): PeriodicJob {
  return startPeriodicJob({ intervalMs: 30_000, round: async () => void (await doLeftoverAccountRequests(ctx)), onError: report });
}

/** The routes' side: record a request before answering, do it once the answer has left. */
export class AccountRequestService {
  constructor(private readonly ctx: AccountContext) {}

  record(input: AccountRequestInput): Promise<string> {
    return recordAccountRequest(this.ctx, input);
  }

  do(id: string): Promise<void> {
    return doAccountRequest(this.ctx, id);
  }
}
