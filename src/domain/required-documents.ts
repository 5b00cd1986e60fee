/**
 * The sections of « Justificatifs » and which ones the answers make required.
 */
export interface DocumentSection {
  code: string;
  title: string;
  hint: string;
}

export const DOCUMENT_SECTIONS = {
  IDENTITY: { code: "IDENTITY", title: "Pièce d'identité", hint: "Carte d'identité, passeport ou titre de séjour, recto et verso." },
  TAX_NOTICE: { code: "TAX_NOTICE", title: "Avis d'imposition", hint: "Votre dernier avis d'imposition (ou de non-imposition), toutes les pages." },
  NAVIGO: { code: "NAVIGO", title: "Copie du Passe Navigo", hint: "Le côté où figurent votre photo et votre numéro." },
  RIB: { code: "RIB", title: "RIB", hint: "Le relevé d'identité bancaire du compte qui sera prélevé." },
  ADDRESS: {
    code: "ADDRESS",
    title: "Justificatif de domicile ou certificat d'hébergement",
    hint: "De moins de 3 mois : facture, quittance de loyer, ou certificat d'hébergement avec la pièce d'identité de l'hébergeant.",
  },
  SITUATION: { code: "SITUATION", title: "Justificatif de situation", hint: "" },
} as const satisfies Record<string, DocumentSection>;

/** Files added later, when an agent asks for a missing document. */
export const COMPLEMENT_SECTION: DocumentSection = { code: "COMPLEMENT", title: "Pièces complémentaires", hint: "" };

export interface DocumentAnswers {
  type: "FIRST" | "RENEWAL" | null;
  directDebit: boolean | null;
  /** The « Justificatif de situation » of the applicant's statut (reference data). */
  situationDocument: string | null;
}

export function requiredDocumentSections(answers: DocumentAnswers): DocumentSection[] {
  const sections: DocumentSection[] = [DOCUMENT_SECTIONS.IDENTITY, DOCUMENT_SECTIONS.TAX_NOTICE, DOCUMENT_SECTIONS.NAVIGO];
  if (answers.directDebit === true) sections.push(DOCUMENT_SECTIONS.RIB);
  if (answers.type === "FIRST") {
    sections.push(DOCUMENT_SECTIONS.ADDRESS);
    sections.push({ ...DOCUMENT_SECTIONS.SITUATION, hint: answers.situationDocument ?? "Le document qui prouve votre situation." });
  }
  return sections;
}

export function sectionTitle(code: string): string {
  const all: DocumentSection[] = [...Object.values(DOCUMENT_SECTIONS), COMPLEMENT_SECTION];
  return all.find((section) => section.code === code)?.title ?? code;
}
