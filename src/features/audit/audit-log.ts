/**
 * The audit log: who did what, when. Rows are only ever inserted (a database
 * trigger refuses updates and deletes). Details hold ids, numbers and
 * statuses, never personal data.
 */
import { z } from "zod";
import type { Queryable } from "../../db/prisma.js";
import type { AuditAction, Prisma } from "../../generated/prisma/client.js";
import { RequestStatus } from "../../generated/prisma/enums.js";
import { formatEuros } from "../../domain/participation.js";
import { STATUS_LABELS } from "../status/request-status.js";

/** Writes one entry; inside the transaction of the change it records, when there is one. */
export async function audit(
  db: Queryable,
  /** actorId null: the portal itself acted (the retention job), or the person whose account is being deleted. */
  entry: { actorId: string | null; action: AuditAction; requestId?: string | null; details?: Prisma.InputJsonValue },
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
  VIRUS_DETECTED: "Fichier refusé par l'antivirus",
  ACCOUNT_DELETED: "Compte supprimé par son titulaire",
  RETENTION_DRAFTS_DELETED: "Conservation : brouillons supprimés",
  RETENTION_DOCUMENTS_DELETED: "Conservation : justificatifs supprimés",
  RETENTION_ACCOUNTS_DELETED: "Conservation : comptes inactifs supprimés",
  AIDANT_ACCESS_GRANTED: "Accès d'aidant accordé",
  AIDANT_ACCESS_ENDED: "Accès d'aidant retiré",
  AIDANT_ACTION: "Action d'un aidant",
  ASSIGNED: "Demande attribuée",
  UNASSIGNED: "Attribution retirée",
};

/** The details column as each action writes it; read back through these, never trusted as they come. */
const statusChangedDetails = z.object({ from: z.string(), to: z.string() });
const participationChangedDetails = z.object({ zonage: z.string(), from: z.number(), to: z.number() });
const exportedDetails = z.object({ filters: z.record(z.string(), z.unknown()).optional() });
const statutChangedDetails = z.object({ statut: z.string(), to: z.record(z.string(), z.unknown()).optional() });
const agentCreatedDetails = z.object({ userId: z.string(), role: z.string().optional() });
const accountDetails = z.object({ userId: z.string() });
/** « Me l'attribuer »: the agent the request was taken from, if any (src/features/agent/assignment.ts). */
const assignedDetails = z.object({ previousAgentId: z.string() });
const virusDetails = z.object({ signature: z.string() });
/** Retention and erasure entries: counts, and ids (never a name or an address). */
const deletionDetails = z.looseObject({ count: z.number().optional(), documents: z.number().optional(), requests: z.number().optional() });
/** An aidant's action: the person helped (userId), the page and the request number (src/middleware/acting-for.ts). */
const aidantActionDetails = z.object({ userId: z.string(), page: z.string(), number: z.string().optional() });

const knownStatus = z.enum(RequestStatus);

/** A status's French label; a value no status has (an old row) as written. */
const statusLabel = (status: string) => {
  const known = knownStatus.safeParse(status);
  return known.success ? STATUS_LABELS[known.data] : status;
};

/** The account an entry's details name (an agent created, disabled…), to show their name in the journal. */
export function auditedUserId(details: unknown): string | null {
  const account = accountDetails.safeParse(details);
  if (account.success) return account.data.userId;
  const assigned = assignedDetails.safeParse(details);
  return assigned.success ? assigned.data.previousAgentId : null;
}

/** The details of an entry as an administrator reads them; `people` names the accounts the details refer to. */
export function describeAudit(action: AuditAction, details: unknown, people: ReadonlyMap<string, string>): string {
  const person = (id: string) => people.get(id) ?? "compte supprimé";
  switch (action) {
    case "STATUS_CHANGED": {
      const parsed = statusChangedDetails.safeParse(details);
      return parsed.success ? `${statusLabel(parsed.data.from)} → ${statusLabel(parsed.data.to)}` : "";
    }
    case "PARTICIPATION_CHANGED": {
      const parsed = participationChangedDetails.safeParse(details);
      return parsed.success ? `${parsed.data.zonage} : ${formatEuros(parsed.data.from)} → ${formatEuros(parsed.data.to)}` : "";
    }
    case "EXPORTED": {
      const parsed = exportedDetails.safeParse(details);
      const filters = Object.entries(parsed.success ? (parsed.data.filters ?? {}) : {}).filter(
        (entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== "",
      );
      return filters.length > 0 ? `Filtres : ${filters.map(([name, filter]) => `${name} = ${filter}`).join(", ")}` : "Toutes les demandes";
    }
    case "STATUT_CHANGED": {
      const parsed = statutChangedDetails.safeParse(details);
      return parsed.success ? `${parsed.data.statut} : ${Object.keys(parsed.data.to ?? {}).join(", ")}` : "";
    }
    case "AGENT_CREATED": {
      const parsed = agentCreatedDetails.safeParse(details);
      return parsed.success ? `${person(parsed.data.userId)} (${parsed.data.role === "ADMIN" ? "administrateur" : "agent"})` : "";
    }
    case "AIDANT_ACCESS_GRANTED":
    case "AIDANT_ACCESS_ENDED": {
      const parsed = accountDetails.safeParse(details);
      return parsed.success ? `avec ${person(parsed.data.userId)}` : "";
    }
    case "AIDANT_ACTION": {
      const parsed = aidantActionDetails.safeParse(details);
      return parsed.success ? `pour ${person(parsed.data.userId)} : ${parsed.data.page}${parsed.data.number ? ` (${parsed.data.number})` : ""}` : "";
    }
    case "AGENT_DISABLED":
    case "AGENT_ENABLED": {
      const parsed = accountDetails.safeParse(details);
      return parsed.success ? person(parsed.data.userId) : "";
    }
    case "VIRUS_DETECTED": {
      const parsed = virusDetails.safeParse(details);
      return parsed.success ? `Virus : ${parsed.data.signature}` : "";
    }
    case "ACCOUNT_DELETED":
    case "RETENTION_DRAFTS_DELETED":
    case "RETENTION_DOCUMENTS_DELETED":
    case "RETENTION_ACCOUNTS_DELETED": {
      const parsed = deletionDetails.safeParse(details);
      if (!parsed.success) return "";
      const parts = [
        parsed.data.count === undefined ? null : `${parsed.data.count} élément(s)`,
        parsed.data.requests === undefined ? null : `${parsed.data.requests} demande(s)`,
        parsed.data.documents === undefined ? null : `${parsed.data.documents} justificatif(s)`,
      ];
      return parts.filter((part) => part !== null).join(", ");
    }
    case "ASSIGNED": {
      // Taken over from another agent: the journal says from whom (the entry itself holds only the id).
      const parsed = assignedDetails.safeParse(details);
      return parsed.success ? `Reprise à ${person(parsed.data.previousAgentId)}` : "";
    }
    default:
      return "";
  }
}
