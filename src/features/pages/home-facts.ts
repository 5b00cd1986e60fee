import type { Database } from "../../db/prisma.js";
import { referenceData } from "../../db/reference-data.js";
import { formatEuros } from "../../domain/participation.js";

/** What each situation asks beyond its age and taxation, in the words of the guide. */
const SITUATION_DETAILS: Record<string, string> = {
  PA: "retraitée ou sans activité professionnelle",
  AH: "bénéficiaire de l'AAH ou d'une pension d'invalidité de 2e ou 3e catégorie",
  AC: "titulaire de la carte du combattant",
  VG: "titulaire d'une pension de veuve de guerre",
};

export interface HomeFacts {
  situations: { label: string; conditions: string }[];
  participationRange: string | null;
  zonages: { label: string; amount: string }[];
}

/**
 * Who can ask and what is left to pay, read from the reference data the
 * administrators edit (« Situations », « Participations annuelles »), so the
 * home page always says what the wizard will apply.
 */
export async function homeFacts(db: Database): Promise<HomeFacts> {
  const { statuts, zonages } = await referenceData(db);
  const situations = statuts.map((statut) => {
    const conditions = [
      statut.minimumAge !== null ? `${statut.minimumAge} ans ou plus` : null,
      SITUATION_DETAILS[statut.code] ?? null,
      statut.mustBeNonTaxable ? "non imposable" : null,
    ].filter((part): part is string => part !== null);
    return { label: statut.label, conditions: conditions.join(", ") };
  });
  const amounts = zonages.map((zonage) => zonage.yearlyParticipationCents);
  const participationRange =
    amounts.length === 0
      ? null
      : Math.min(...amounts) === Math.max(...amounts)
        ? formatEuros(amounts[0]!)
        : `de ${formatEuros(Math.min(...amounts))} à ${formatEuros(Math.max(...amounts))}`;
  return {
    situations,
    participationRange,
    zonages: zonages.map((zonage) => ({ label: zonage.label, amount: formatEuros(zonage.yearlyParticipationCents) })),
  };
}
