/**
 * The person's rights over their data (RGPD): « Télécharger mes données »
 * (right of access and portability, articles 15 and 20) and « Supprimer mon
 * compte » (right to erasure, article 17).
 */
import type { Readable } from "node:stream";
import yazl from "yazl";
import type { AppContext } from "../../context.js";
import { referenceData } from "../../db/reference-data.js";
import { logger } from "../../logger.js";
import { accountDeletedMail } from "../../mail/messages.js";
import { queueMail } from "../../mail/outbox.js";
import { waitMessage, type Throttle } from "../../middleware/rate-limit.js";
import { verifyPassword } from "../account/passwords.js";
import { audit } from "../audit/audit-log.js";
import { answerGroups } from "../request/answers.js";
import { eraseAccount } from "../retention/erasure.js";
import { OPEN_STATUSES, STATUS_LABELS } from "../status/request-status.js";

export type DeletionOutcome =
  | { ok: true }
  | { ok: false; problem: "password"; message: string }
  | { ok: false; problem: "wait"; message: string; retryAfterSeconds: number }
  | { ok: false; problem: "processing"; message: string };

export const PROCESSING_MESSAGE =
  "Une de vos demandes est en cours de traitement : votre compte ne peut pas être supprimé tant que le Département n'a pas rendu sa décision. Vous pouvez attendre la décision, ou retirer votre demande depuis « Mes demandes en cours », puis revenir ici.";

/** A name inside the archive: no folder separators, nothing hidden. */
function entryName(name: string): string {
  return name.replace(/[/\\]/g, "_").replace(/^\.+/, "_");
}

export class AccountDataService {
  constructor(private readonly ctx: Pick<AppContext, "db" | "clock" | "storage" | "cipher">) {}

  /** The number of the person's request being processed, if any: the account cannot be deleted meanwhile. */
  async requestBeingProcessed(userId: string): Promise<string | null> {
    const open = await this.ctx.db.request.findFirst({ where: { applicantId: userId, status: { in: [...OPEN_STATUSES] } }, select: { number: true } });
    return open ? (open.number ?? "") : null;
  }

  /**
   * Everything the portal holds about the person, as readable JSON. What the
   * law gives them: their data and the decisions about them, the IBAN in full
   * (it is theirs; decrypted for them only, in this download), and the
   * agents' internal notes about their requests too: article 15 covers every
   * piece of personal data about the person, and the notes are about them.
   * The notes' authors are not named (an agent's identity is someone else's
   * data); neither are the agents who changed a status.
   */
  async exportData(userId: string) {
    const { db, cipher } = this.ctx;
    const user = await db.user.findUniqueOrThrow({ where: { id: userId }, include: { profile: true } });
    const requests = await db.request.findMany({
      where: { applicantId: userId },
      orderBy: { createdAt: "asc" },
      include: {
        documents: { orderBy: { uploadedAt: "asc" } },
        statusChanges: { orderBy: { createdAt: "asc" } },
        notes: { orderBy: { createdAt: "asc" }, select: { createdAt: true, text: true } },
      },
    });
    const { statuts, zonages } = await referenceData(db);
    const files: { storedName: string; path: string }[] = [];
    const profile = user.profile;
    const data = {
      exporteLe: this.ctx.clock.now().toISOString(),
      compte: {
        adresseEmail: user.email,
        prenom: user.firstName,
        nomUsage: user.lastName,
        creeLe: user.createdAt.toISOString(),
        adresseConfirmeeLe: user.emailVerifiedAt?.toISOString() ?? null,
        motDePasseChangeLe: user.passwordChangedAt?.toISOString() ?? null,
        derniereConnexion: user.lastLoginAt?.toISOString() ?? null,
      },
      informationsPersonnelles: profile
        ? {
            civilite: profile.civility,
            situationFamiliale: profile.familySituation,
            nomNaissance: profile.birthName,
            dateNaissance: profile.birthDate?.toISOString().slice(0, 10) ?? null,
            dateNaissanceInconnue: profile.birthDateUnknown,
            adresse: [profile.street, profile.addressLine2, profile.addressLine3].filter(Boolean),
            codePostal: profile.postalCode,
            ville: profile.city,
            telephoneMobile: profile.mobilePhone,
            telephoneFixe: profile.landlinePhone,
            mesureDeProtection: profile.protectionMeasure,
            typeDeMesure: profile.protectionType,
          }
        : null,
      demandes: requests.map((request, index) => {
        const folder = `justificatifs/${request.number ?? `brouillon-${index + 1}`}`;
        return {
          numero: request.number,
          statut: STATUS_LABELS[request.status],
          creeeLe: request.createdAt.toISOString(),
          deposeeLe: request.submittedAt?.toISOString() ?? null,
          validiteDu: request.validFrom?.toISOString().slice(0, 10) ?? null,
          validiteAu: request.validUntil?.toISOString().slice(0, 10) ?? null,
          conditionsAcceptees: { le: request.termsAcceptedAt.toISOString(), version: request.termsVersion },
          reponses: answerGroups(request, statuts, zonages).map((group) => ({
            rubrique: group.title,
            reponses: Object.fromEntries(group.items.map((item) => [item.label, item.value])),
          })),
          numeroPasseNavigo: request.navigoNumber,
          aidant: request.aidantName || request.aidantEmail ? { nom: request.aidantName, adresseEmail: request.aidantEmail } : null,
          prelevement: request.directDebit
            ? {
                iban: request.ibanEncrypted ? cipher.decrypt(request.ibanEncrypted) : null,
                bic: request.bic,
                titulaire: request.accountHolder,
              }
            : null,
          participationEuros: request.participationCents === null ? null : request.participationCents / 100,
          avis: request.satisfaction ? { note: request.satisfaction, commentaire: request.satisfactionComment } : null,
          historique: request.statusChanges.map((change) => ({
            le: change.createdAt.toISOString(),
            de: change.fromStatus ? STATUS_LABELS[change.fromStatus] : null,
            vers: STATUS_LABELS[change.toStatus],
            reponseDuDepartement: change.message,
          })),
          notesInternesDesAgents: request.notes.map((note) => ({ le: note.createdAt.toISOString(), texte: note.text })),
          justificatifs: request.documents.map((document, position) => {
            const path = `${folder}/${position + 1}-${entryName(document.originalName)}`;
            files.push({ storedName: document.storedName, path });
            return {
              nom: document.originalName,
              rubrique: document.section,
              type: document.mimeType,
              tailleOctets: document.sizeBytes,
              deposeLe: document.uploadedAt.toISOString(),
              fichier: path,
            };
          }),
        };
      }),
    };
    return { data, files };
  }

  /**
   * The ZIP, streamed: the JSON first, then each document read from the
   * storage only when the archive reaches it (never the whole archive in
   * memory, nor every file open at once).
   */
  async exportZip(userId: string): Promise<Readable> {
    const { data, files } = await this.exportData(userId);
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from(`${JSON.stringify(data, null, 2)}\n`, "utf8"), "mes-donnees.json");
    zip.addBuffer(Buffer.from(README, "utf8"), "LISEZ-MOI.txt");
    for (const file of files) {
      zip.addReadStreamLazy(file.path, (callback) => {
        this.ctx.storage.read(file.storedName).then(
          (stream) => callback(null, stream),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null as unknown as Readable),
        );
      });
    }
    zip.end();
    return zip.outputStream as Readable;
  }

  /**
   * « Supprimer mon compte ». The password is counted before it is checked
   * (the same count as every other check of the current password), then
   * the account is erased as the retention rule erases an inactive one
   * (src/features/retention/erasure.ts), the confirmation mail queued in the
   * same transaction, and the files removed once it committed.
   */
  async deleteAccount(userId: string, password: string, passwordCheck: Throttle): Promise<DeletionOutcome> {
    const { db, clock } = this.ctx;
    const counted = await passwordCheck.hit(userId);
    if (counted.retryAfterSeconds > 0) {
      return { ok: false, problem: "wait", message: waitMessage(counted.retryAfterSeconds), retryAfterSeconds: counted.retryAfterSeconds };
    }
    const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true, email: true, firstName: true } });
    if (!(await verifyPassword(user.passwordHash, password))) return { ok: false, problem: "password", message: "Le mot de passe est incorrect." };
    await passwordCheck.reset(userId);

    const erased = await db.$transaction(async (tx) => {
      const result = await eraseAccount(tx, userId, clock.now());
      if (result === "processing" || result === "gone") return result;
      await audit(tx, {
        actorId: null,
        action: "ACCOUNT_DELETED",
        details: { accountId: userId, requests: result.anonymised, drafts: result.drafts, documents: result.storedNames.length },
      });
      await queueMail(tx, user.email, accountDeletedMail(user.firstName));
      return result;
    });
    if (erased === "processing") return { ok: false, problem: "processing", message: PROCESSING_MESSAGE };
    if (erased === "gone") return { ok: true };
    for (const storedName of erased.storedNames) {
      // A file that cannot be removed now has no row any more: the orphan sweeper removes it.
      await this.ctx.storage
        .remove(storedName)
        .catch((error: unknown) => logger.warn({ err: error }, "suppression de compte : un fichier n'a pas pu être supprimé"));
    }
    return { ok: true };
  }
}

const README = `Vos données sur le portail Améthyste (Département de la Seine-Saint-Denis)

mes-donnees.json : votre compte, vos informations personnelles, vos demandes
(réponses, historique, réponses du Département, notes des agents) ;
justificatifs/ : les fichiers que vous avez déposés, rangés par demande.

Ce fichier contient votre IBAN en entier : conservez-le en lieu sûr.
`;
