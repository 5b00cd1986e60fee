/**
 * A request's answers as a person reads them, grouped by step: used by the
 * summary (with « Modifier » links), the request's page and the receipt.
 */
import type { Request, Statut, Zonage } from "../../generated/prisma/client.js";
import { formatShares, maskIban } from "../../domain/identifiers.js";
import { formatEuros, participationFor } from "../../domain/participation.js";
import { ELIGIBILITY_QUESTIONS } from "./steps/eligibility-step.js";
import { REQUEST_TYPES } from "./steps/type-step.js";

export interface AnswerGroup {
  title: string;
  /** The wizard step to correct it. */
  slug: string;
  items: { label: string; value: string }[];
}

const NONE = "—";
const yesNo = (value: boolean | null | undefined) => (value === null || value === undefined ? NONE : value ? "Oui" : "Non");

export function answerGroups(request: Request, statuts: Statut[], zonages: Zonage[]): AnswerGroup[] {
  const statut = statuts.find((candidate) => candidate.code === request.statutCode);
  const zonage = zonages.find((candidate) => candidate.code === request.zonageCode);
  // Frozen at submission; a draft shows the current amount.
  const participation = request.participationCents ?? participationFor(zonages, request.zonageCode);
  const groups: AnswerGroup[] = [
    { title: "Type de demande", slug: "type", items: [{ label: "Type de demande", value: request.type ? REQUEST_TYPES[request.type] : NONE }] },
  ];
  if (request.type === "FIRST") {
    const answers = (request.eligibility ?? {}) as Record<string, boolean | string | undefined>;
    groups.push({
      title: "Éligibilité",
      slug: "eligibilite",
      items: (Object.keys(ELIGIBILITY_QUESTIONS) as (keyof typeof ELIGIBILITY_QUESTIONS)[])
        .filter((question) => typeof answers[question] === "boolean")
        .map((question) => ({ label: ELIGIBILITY_QUESTIONS[question], value: yesNo(answers[question] as boolean) })),
    });
  }
  groups.push(
    { title: "Numéro de Passe Navigo", slug: "navigo", items: [{ label: "Numéro de Passe Navigo", value: request.navigoNumber ?? NONE }] },
    {
      title: "Zonage",
      slug: "zonage",
      items: [
        { label: "Situation", value: statut ? `${statut.code} - ${statut.label}` : NONE },
        { label: "Zonage", value: zonage?.label ?? NONE },
        { label: "Participation annuelle", value: participation === null ? NONE : formatEuros(participation) },
      ],
    },
    {
      title: "Revenus",
      slug: "revenus",
      items: [
        { label: "Revenu fiscal de référence", value: request.referenceTaxIncome === null ? NONE : `${request.referenceTaxIncome.toLocaleString("fr-FR")} €` },
        { label: "Nombre de parts fiscales", value: request.taxShares === null ? NONE : formatShares(Number(request.taxShares)) },
      ],
    },
    {
      title: "Aidant",
      slug: "aidant",
      items: [
        { label: "Aidant", value: request.aidantName ?? NONE },
        { label: "Courriel aidant", value: request.aidantEmail ?? NONE },
      ],
    },
    {
      title: "Mode de participation",
      slug: "participation",
      items: [
        { label: "Prélèvement automatique", value: yesNo(request.directDebit) },
        ...(request.directDebit
          ? [
              { label: "N° IBAN", value: request.ibanLast4 ? maskIban(request.ibanLast4) : NONE },
              { label: "BIC", value: request.bic ?? NONE },
              { label: "Nom du titulaire du compte", value: request.accountHolder ?? NONE },
            ]
          : []),
      ],
    },
  );
  return groups;
}
