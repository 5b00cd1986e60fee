/**
 * The audit log: who did what, when. Rows are only ever inserted (a database
 * trigger refuses updates and deletes). Details hold ids, numbers and
 * statuses, never personal data.
 */
import type { Database } from "../../db/prisma.js";
import type { AuditAction, Prisma, RequestStatus } from "../../generated/prisma/client.js";
import { formatEuros } from "../../domain/participation.js";
import { STATUS_LABELS } from "../status/request-status.js";

type Writer = Pick<Database, "auditLog">;

export async function audit(
  db: Writer,
  entry: { actorId: string; action: AuditAction; requestId?: string | null; details?: Prisma.InputJsonValue },
): Promise<void> {
  await db.auditLog.create({
    data: { actorId: entry.actorId, action: entry.action, requestId: entry.requestId ?? null, details: entry.details },
  });
}

export const AUDIT_LABELS: Record<AuditAction, string> = {
  STATUS_CHANGED: "Changement de statut",
  NOTE_ADDED: "Note interne ajoutée",
  DOCUMENT_OPENED: "Justificatif ouvert",
  IBAN_REVEALED: "IBAN affiché",
  EXPORTED: "Export CSV",
  INVITATION_CREATED: "Invitation créée",
  AGENT_CREATED: "Compte agent créé",
  AGENT_DISABLED: "Compte agent désactivé",
  AGENT_ENABLED: "Compte agent réactivé",
  PARTICIPATION_CHANGED: "Participation modifiée",
  STATUT_CHANGED: "Situation modifiée",
  MAIL_RETRIED: "Message renvoyé",
  REQUEST_VIEWED: "Demande consultée",
};

/** The details of an entry as an administrator reads them; `people` names the accounts the details refer to. */
export function describeAudit(action: AuditAction, details: unknown, people: Map<string, string>): string {
  const value = (details ?? {}) as Record<string, unknown>;
  const person = (id: unknown) => (typeof id === "string" ? (people.get(id) ?? "compte supprimé") : "");
  switch (action) {
    case "STATUS_CHANGED":
      return `${STATUS_LABELS[value.from as RequestStatus] ?? value.from} → ${STATUS_LABELS[value.to as RequestStatus] ?? value.to}`;
    case "PARTICIPATION_CHANGED":
      return `${String(value.zonage)} : ${formatEuros(Number(value.from))} → ${formatEuros(Number(value.to))}`;
    case "EXPORTED": {
      const filters = Object.entries((value.filters ?? {}) as Record<string, string>).filter(([, filter]) => filter);
      return filters.length > 0 ? `Filtres : ${filters.map(([name, filter]) => `${name} = ${filter}`).join(", ")}` : "Toutes les demandes";
    }
    case "STATUT_CHANGED":
      return `${String(value.statut)} : ${Object.keys((value.to ?? {}) as object).join(", ")}`;
    case "AGENT_CREATED":
      return `${person(value.userId)} (${value.role === "ADMIN" ? "administrateur" : "agent"})`;
    case "AGENT_DISABLED":
    case "AGENT_ENABLED":
      return person(value.userId);
    default:
      return "";
  }
}
