/**
 * « Me l'attribuer » / « Ne plus me l'attribuer »: which agent handles a
 * request. Two agents may press at once: each change applies only if the
 * request is still assigned as the agent saw it on the page (the form
 * carries that assignee), checked by the UPDATE itself. PostgreSQL makes the
 * second UPDATE wait for the first and re-read the row: it then matches no
 * row, and the second agent is told who has it now. No request is ever
 * taken over silently.
 */
import { personName } from "../../views/format.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { Transaction } from "../../db/prisma.js";
import { audit } from "../audit/audit-log.js";
import { FINISHED_STATUSES } from "../status/request-status.js";

const agentName = { id: true, firstName: true, lastName: true } satisfies Prisma.UserSelect;
export type AgentName = Prisma.UserGetPayload<{ select: typeof agentName }>;

export type AssignmentResult =
  /** `previous`: the agent the request was taken from (« Me l'attribuer » on another's request). */
  | { ok: true; previous: AgentName | null }
  /** The request changed since the page was shown: who has it now, or it is finished. */
  | { ok: false; current: AgentName | null; finished: boolean };

/**
 * Assigns the request to `agentId` (assign) or to nobody (unassign: only
 * from the agent themself), if it is still assigned to `expected`. A finished
 * request keeps its assignee, who may let it go, but is not taken any more.
 */
export async function changeAssignment(
  tx: Transaction,
  input: { requestId: string; agentId: string; expected: string | null; assign: boolean; now: Date },
): Promise<AssignmentResult> {
  const to = input.assign ? input.agentId : null;
  // Letting go is only ever of one's own request, whatever the form says.
  const from = input.assign ? input.expected : input.agentId;
  // Already the agent's by the form's own account (only a forged form says so): nothing to write, not even a new date.
  const changed =
    from === to
      ? { count: 0 }
      : await tx.request.updateMany({
          where: { id: input.requestId, assignedAgentId: from, ...(input.assign ? { status: { notIn: [...FINISHED_STATUSES] } } : {}) },
          data: { assignedAgentId: to, assignedAt: to ? input.now : null },
        });
  const request = await tx.request.findUniqueOrThrow({
    where: { id: input.requestId },
    select: { number: true, status: true, assignedAgent: { select: agentName } },
  });
  if (changed.count === 0) {
    // Pressed twice (the first press already did it): done, not a conflict.
    if ((request.assignedAgent?.id ?? null) === to) return { ok: true, previous: null };
    return { ok: false, current: request.assignedAgent, finished: FINISHED_STATUSES.includes(request.status) };
  }
  await audit(tx, {
    actorId: input.agentId,
    action: input.assign ? "ASSIGNED" : "UNASSIGNED",
    requestId: input.requestId,
    // Ids only: the number, and the agent it was taken from (the journal names them).
    details: { number: request.number, previousAgentId: from },
  });
  const previous = input.assign && from ? await tx.user.findUnique({ where: { id: from }, select: agentName }) : null;
  return { ok: true, previous };
}

/** What the agent is told when the request changed under them. */
export function conflictMessage(result: { current: AgentName | null; finished: boolean }, agentId: string): string {
  if (result.finished && result.current?.id !== agentId) return "Cette demande est terminée : elle ne peut plus être attribuée.";
  if (!result.current) return "Cette demande vient d'être libérée : elle n'est attribuée à personne.";
  return `Cette demande vient d'être attribuée à ${personName(result.current)}.`;
}
