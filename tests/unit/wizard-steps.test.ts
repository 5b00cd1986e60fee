import { describe, expect, it } from "vitest";
import { Prisma } from "../../src/generated/prisma/client.js";
import { findStep, firstStepBlockingSubmission, resumeStep, stepStates, WIZARD_STEPS } from "../../src/features/request/registry.js";
import type { Draft, StepContext, StepState } from "../../src/features/request/wizard-types.js";
import { FieldCipher } from "../../src/lib/encryption.js";

const DRAFT_ID = "00000000-0000-4000-8000-000000000001";

function draft(overrides: Partial<Draft> = {}): Draft {
  return {
    id: DRAFT_ID,
    applicantId: "00000000-0000-4000-8000-000000000002",
    number: null,
    status: "DRAFT",
    termsAcceptedAt: new Date("2026-11-01T10:00:00Z"),
    termsVersion: "2026-11",
    completedSteps: [],
    pendingInput: null,
    type: null,
    eligibility: null,
    navigoNumber: null,
    statutCode: null,
    zonageCode: null,
    participationCents: null,
    referenceTaxIncome: null,
    taxShares: null,
    aidantName: null,
    aidantEmail: null,
    directDebit: null,
    ibanEncrypted: null,
    ibanLast4: null,
    bic: null,
    accountHolder: null,
    debitConsent: false,
    satisfaction: null,
    satisfactionComment: null,
    profileSnapshot: null,
    submittedAt: null,
    validFrom: null,
    validUntil: null,
    assignedAgentId: null,
    assignedAt: null,
    createdAt: new Date("2026-11-01T10:00:00Z"),
    updatedAt: new Date("2026-11-01T10:00:00Z"),
    documents: [],
    ...overrides,
  };
}

const statuts = [
  { code: "PA", label: "Personne âgée", minimumAge: 60, mustBeNonTaxable: true, situationDocument: "Un justificatif de retraite.", sortOrder: 1 },
];
const zonages = [{ code: "Z1_5", label: "Zones 1 à 5", yearlyParticipationCents: 4200, sortOrder: 1 }];

function context(overrides: Partial<Draft> = {}): StepContext {
  return {
    draft: draft(overrides),
    statuts,
    zonages,
    birthDate: new Date("1950-06-18T00:00:00Z"),
    postalCode: "93200",
    applicant: null,
    today: new Date("2026-11-29T00:00:00Z"),
  };
}

function document(section: string) {
  return {
    id: `00000000-0000-4000-8000-${String(section.length).padStart(12, "0")}`,
    requestId: DRAFT_ID,
    section,
    originalName: `${section}.pdf`,
    storedName: "a".repeat(48),
    mimeType: "application/pdf",
    sizeBytes: 1000,
    uploadedAt: new Date("2026-11-01T10:00:00Z"),
    reused: false,
  };
}

/** A renewal with every answer and file: each of its steps is complete. */
const COMPLETE_RENEWAL: Partial<Draft> = {
  type: "RENEWAL",
  navigoNumber: "12345678",
  statutCode: "PA",
  zonageCode: "Z1_5",
  referenceTaxIncome: 12000,
  taxShares: new Prisma.Decimal(1),
  directDebit: false,
  documents: ["IDENTITY", "TAX_NOTICE", "NAVIGO"].map(document),
  completedSteps: ["type", "navigo", "zonage", "revenus", "aidant", "participation", "justificatifs", "recapitulatif"],
};

const slugs = (states: readonly StepState[]) => states.map((state) => state.step.slug);
const reachable = (states: readonly StepState[]) => states.filter((state) => state.reachable).map((state) => state.step.slug);

describe("the wizard's steps", () => {
  it("start at « Type de demande », with only that step open, the others locked", () => {
    const states = stepStates(context());
    expect(resumeStep(states).step.slug).toBe("type");
    expect(reachable(states)).toEqual(["type"]);
    expect(states.every((state) => !state.complete)).toBe(true);
  });

  it("ask the eligibility questions of a first request (or before the type is known), not of a renewal", () => {
    expect(slugs(stepStates(context()))).toContain("eligibilite");
    expect(slugs(stepStates(context({ type: "FIRST" })))).toContain("eligibilite");
    const renewal = stepStates(context({ type: "RENEWAL" }));
    expect(slugs(renewal)).not.toContain("eligibilite");
    // Numbered without gaps: « Étape 2 sur 9 » for a renewal's Navigo step.
    expect(renewal.map((state) => state.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(renewal.find((state) => state.step.slug === "navigo")?.number).toBe(2);
  });

  it("open every step up to the first incomplete one, and resume there", () => {
    const states = stepStates(context({ type: "RENEWAL", navigoNumber: "12345678", completedSteps: ["type", "navigo"] }));
    expect(states.filter((state) => state.complete).map((state) => state.step.slug)).toEqual(["type", "navigo"]);
    expect(reachable(states)).toEqual(["type", "navigo", "zonage"]);
    expect(resumeStep(states).step.slug).toBe("zonage");
  });

  it("count a step done earlier as incomplete when another answer made it so, locking the steps after it", () => {
    // « Oui » to the direct debit now, but no IBAN saved: « Mode de participation » must be done again.
    const states = stepStates(context({ ...COMPLETE_RENEWAL, directDebit: true }));
    const participation = states.find((state) => state.step.slug === "participation")!;
    expect(participation.complete).toBe(false);
    expect(resumeStep(states).step.slug).toBe("participation");
    expect(reachable(states)).not.toContain("justificatifs");
  });

  it("ask for a section's file again when the answers add the section (a RIB after « Oui »)", () => {
    const states = stepStates(
      context({
        ...COMPLETE_RENEWAL,
        directDebit: true,
        ibanEncrypted: "chiffré",
        ibanLast4: "1234",
        bic: "BNPAFRPP",
        accountHolder: "Jeanne Martin",
        debitConsent: true,
      }),
    );
    expect(states.find((state) => state.step.slug === "participation")?.complete).toBe(true);
    expect(states.find((state) => state.step.slug === "justificatifs")?.complete).toBe(false);
    expect(resumeStep(states).step.slug).toBe("justificatifs");
  });

  it("resume at « Votre avis » once every other step is done, and let the request be submitted without it", () => {
    const states = stepStates(context(COMPLETE_RENEWAL));
    expect(reachable(states)).toEqual(slugs(states));
    expect(resumeStep(states).step.slug).toBe("avis");
    expect(firstStepBlockingSubmission(states)).toBeUndefined();
  });

  it("do not let a request be submitted while a step before « Votre avis » is incomplete", () => {
    const states = stepStates(context({ ...COMPLETE_RENEWAL, completedSteps: COMPLETE_RENEWAL.completedSteps!.filter((slug) => slug !== "revenus") }));
    expect(firstStepBlockingSubmission(states)?.step.slug).toBe("revenus");
  });

  it("resume at the last step when every step, « Votre avis » included, is done", () => {
    const states = stepStates(context({ ...COMPLETE_RENEWAL, completedSteps: [...COMPLETE_RENEWAL.completedSteps!, "avis"] }));
    expect(states.every((state) => state.complete)).toBe(true);
    expect(resumeStep(states).step.slug).toBe("avis");
  });

  it("have exactly one step that submits the request, the last one", () => {
    expect(WIZARD_STEPS.filter((step) => step.submits).map((step) => step.slug)).toEqual(["avis"]);
    expect(WIZARD_STEPS.at(-1)?.submits).toBe(true);
  });

  it("have unique slugs, each found by its slug, and no other", () => {
    expect(new Set(WIZARD_STEPS.map((step) => step.slug)).size).toBe(WIZARD_STEPS.length);
    for (const step of WIZARD_STEPS) expect(findStep(step.slug)).toBe(step);
    expect(findStep("inconnue")).toBeUndefined();
    expect(findStep("__proto__")).toBeUndefined();
  });
});

describe("a step's form", () => {
  const deps = { cipher: new FieldCipher(Buffer.alloc(32, 42).toString("base64")) };

  it("is parsed by the step's schema: a repeated or missing field counts as empty, with the step's message", () => {
    const outcome = findStep("type")!.submit({ type: ["FIRST", "RENEWAL"] }, context(), deps);
    expect(outcome.kind).toBe("invalid");
    if (outcome.kind === "invalid") expect(outcome.errors.fields.type).toBe("Indiquez s'il s'agit d'une première demande ou d'un renouvellement.");
    expect(findStep("navigo")!.submit(undefined, context(), deps).kind).toBe("invalid");
  });

  it("gives the valid answers to save", () => {
    expect(findStep("type")!.submit({ type: "RENEWAL" }, context(), deps)).toEqual({ kind: "saved", data: { type: "RENEWAL" } });
    expect(findStep("avis")!.submit({ satisfaction: "", satisfactionComment: "  Merci  " }, context(), deps)).toEqual({
      kind: "saved",
      data: { satisfaction: null, satisfactionComment: "Merci" },
    });
  });

  it("reads a field with the domain's parser: the value cleaned, or its message at the field", () => {
    expect(findStep("navigo")!.submit({ navigoNumber: "A 1234 5678" }, context(), deps)).toEqual({ kind: "saved", data: { navigoNumber: "12345678" } });
    expect(findStep("revenus")!.submit({ referenceTaxIncome: "12 500 €", taxShares: "1,5" }, context(), deps)).toEqual({
      kind: "saved",
      data: { referenceTaxIncome: 12500, taxShares: 1.5 },
    });
    const outcome = findStep("revenus")!.submit({ taxShares: "0,3", referenceTaxIncome: "douze" }, context(), deps);
    expect(outcome.kind === "invalid" && outcome.errors.summary).toEqual([
      { text: "Indiquez un montant en euros, sans centimes, par exemple 12500.", href: "#champ-referenceTaxIncome" },
      { text: "Le nombre de parts fiscales est compris entre 1 et 10.", href: "#champ-taxShares" },
    ]);
  });

  it("reports every field refused by « Votre avis », in the order of the form", () => {
    const outcome = findStep("avis")!.submit({ satisfaction: "Ravi", satisfactionComment: "x".repeat(2001) }, context(), deps);
    expect(outcome.kind === "invalid" && outcome.errors.summary.map((link) => link.text)).toEqual([
      "Choisissez un niveau de satisfaction dans la liste.",
      "Le commentaire ne doit pas dépasser 2000 caractères.",
    ]);
  });
});
