/**
 * The proofs of a request as PDF, and their check at /verifier. A receipt
 * (« récépissé de dépôt ») exists for every sent request, an attestation once
 * it is « Validée » with its dates. Each carries a verification code, made the
 * first time the proof is asked for and then the same on every copy; the
 * attestation gets a new code if its dates ever change, and the old code
 * stops verifying.
 */
import { personName } from "../../views/format.js";
import type { AppContext } from "../../context.js";
import { REQUEST_TYPES } from "../../domain/request-types.js";
import type { ProofKind } from "../../generated/prisma/enums.js";
import { isRequestNumber } from "../../lib/request-number.js";
import { parisDay } from "../../lib/paris-day.js";
import { paths } from "../../paths.js";
import { audit } from "../audit/audit-log.js";
import { generateVerificationCode } from "./verification-code.js";

/** What a proof says: everything the PDF prints. */
export interface Proof {
  kind: ProofKind;
  number: string;
  applicantName: string;
  typeLabel: string;
  submittedAt: Date;
  /** The attestation's period (calendar dates at midnight UTC). */
  validFrom: Date | null;
  validUntil: Date | null;
  /** When the request became « Validée » (attestation). */
  approvedAt: Date | null;
  code: string;
  issuedAt: Date;
  /** Where the code is checked, absolute. */
  verifyUrl: string;
}

/** What /verifier may say about a code: its kind and dates, never whose it is. */
export type Verification =
  | { valid: false; reason: "unknown" }
  | { valid: true; kind: "RECEIPT"; submittedAt: Date }
  | { valid: boolean; kind: "ATTESTATION"; validFrom: Date; validUntil: Date; reason?: "expired" | "not-yet" };

/** « 2027-01-01 », the calendar day of a date stored at midnight UTC. */
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export class ProofService {
  constructor(private readonly ctx: Pick<AppContext, "db" | "clock" | "publicUrl">) {}

  /** The applicant's own proof; null when the request is not theirs, not sent, or (attestation) not validated. */
  async forApplicant(applicantId: string, number: string, kind: ProofKind): Promise<Proof | null> {
    return (await this.proof({ number, applicantId }, kind))?.proof ?? null;
  }

  /** The same proof for an agent, the opening written to the audit log. */
  async forAgent(agentId: string, number: string, kind: ProofKind): Promise<Proof | null> {
    const found = await this.proof({ number }, kind);
    if (!found) return null;
    await audit(this.ctx.db, { actorId: agentId, action: "DOCUMENT_OPENED", requestId: found.requestId, details: { proof: kind } });
    return found.proof;
  }

  private async proof(where: { number: string; applicantId?: string }, kind: ProofKind): Promise<{ requestId: string; proof: Proof } | null> {
    if (!isRequestNumber(where.number)) return null;
    const request = await this.ctx.db.request.findFirst({
      where: { ...where, submittedAt: { not: null }, status: kind === "ATTESTATION" ? "APPROVED" : { not: "DRAFT" } },
      include: {
        applicant: { select: { firstName: true, lastName: true } },
        statusChanges: { where: { toStatus: "APPROVED" }, orderBy: { createdAt: "desc" }, take: 1, select: { createdAt: true } },
      },
    });
    if (!request?.number || !request.submittedAt || !request.type) return null;
    if (kind === "ATTESTATION" && !(request.validFrom && request.validUntil)) return null;
    const dates = kind === "ATTESTATION" ? { validFrom: request.validFrom, validUntil: request.validUntil } : { validFrom: null, validUntil: null };
    const { code, issuedAt } = await this.codeFor(request.id, kind, dates);
    const proof: Proof = {
      kind,
      number: request.number,
      applicantName: personName(request.applicant),
      typeLabel: REQUEST_TYPES[request.type],
      submittedAt: request.submittedAt,
      ...dates,
      approvedAt: kind === "ATTESTATION" ? (request.statusChanges[0]?.createdAt ?? null) : null,
      code,
      issuedAt,
      verifyUrl: `${this.ctx.publicUrl}${paths.verify}`,
    };
    return { requestId: request.id, proof };
  }

  /**
   * The proof's code: made by the first download (one statement, so that two
   * downloads at once agree on one code), replaced when the attestation's
   * dates are no longer those it was issued for.
   */
  private async codeFor(requestId: string, kind: ProofKind, dates: { validFrom: Date | null; validUntil: Date | null }) {
    const from = dates.validFrom ? isoDay(dates.validFrom) : null;
    const until = dates.validUntil ? isoDay(dates.validUntil) : null;
    const [written] = await this.ctx.db.$queryRaw<{ code: string; issuedAt: Date }[]>`
      INSERT INTO "ProofCode" ("id", "requestId", "kind", "code", "validFrom", "validUntil", "issuedAt")
      VALUES (gen_random_uuid(), ${requestId}::uuid, ${kind}::"ProofKind", ${generateVerificationCode()}, ${from}::date, ${until}::date, ${this.ctx.clock.now()})
      ON CONFLICT ("requestId", "kind") DO UPDATE
        SET "code" = EXCLUDED."code", "validFrom" = EXCLUDED."validFrom", "validUntil" = EXCLUDED."validUntil", "issuedAt" = EXCLUDED."issuedAt"
        WHERE "ProofCode"."validFrom" IS DISTINCT FROM EXCLUDED."validFrom" OR "ProofCode"."validUntil" IS DISTINCT FROM EXCLUDED."validUntil"
      RETURNING "code", "issuedAt"`;
    if (written) return written;
    return this.ctx.db.proofCode.findUniqueOrThrow({ where: { requestId_kind: { requestId, kind } }, select: { code: true, issuedAt: true } });
  }

  /** What a code proves, for /verifier. `code` is already normalized (« H4RT-9KXW-M2PZ »). */
  async verify(code: string): Promise<Verification> {
    const found = await this.ctx.db.proofCode.findUnique({
      where: { code },
      include: { request: { select: { status: true, submittedAt: true, validFrom: true, validUntil: true } } },
    });
    if (!found?.request.submittedAt) return { valid: false, reason: "unknown" };
    if (found.kind === "RECEIPT") return { valid: true, kind: "RECEIPT", submittedAt: found.request.submittedAt };
    const { request } = found;
    const sameDates =
      request.status === "APPROVED" &&
      request.validFrom &&
      request.validUntil &&
      found.validFrom &&
      found.validUntil &&
      isoDay(request.validFrom) === isoDay(found.validFrom) &&
      isoDay(request.validUntil) === isoDay(found.validUntil);
    if (!sameDates || !found.validFrom || !found.validUntil) return { valid: false, reason: "unknown" };
    // A right is in force until the end of its last day in Paris.
    const today = parisDay(this.ctx.clock.now());
    const period = { kind: "ATTESTATION" as const, validFrom: found.validFrom, validUntil: found.validUntil };
    if (today > isoDay(found.validUntil)) return { ...period, valid: false, reason: "expired" };
    if (today < isoDay(found.validFrom)) return { ...period, valid: true, reason: "not-yet" };
    return { ...period, valid: true };
  }
}
