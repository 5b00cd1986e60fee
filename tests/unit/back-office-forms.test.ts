import { describe, expect, it } from "vitest";
import { participationsForm, staffActionParams, statutsForm } from "../../src/features/admin/admin-forms.js";
import { noteForm, statusForm } from "../../src/features/agent/agent-forms.js";

const messages = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((issue) => [String(issue.path[0]), issue.message]);

describe("the status form of the agents' request page", () => {
  it("asks for a status first, and for nothing else until there is one", () => {
    expect(messages(statusForm.safeParse({ message: "x".repeat(3000) }))).toEqual([["status", "Choisissez le nouveau statut."]]);
    expect(messages(statusForm.safeParse({ status: "constructor" }))).toEqual([["status", "Choisissez le nouveau statut."]]);
  });

  it("asks for the message the applicant receives with a refusal or a missing document", () => {
    expect(messages(statusForm.safeParse({ status: "REFUSED", message: "  " }))).toEqual([
      ["message", "Indiquez la raison du refus : elle sera envoyée au demandeur."],
    ]);
    expect(messages(statusForm.safeParse({ status: "AWAITING_DOCUMENT" }))).toEqual([
      ["message", "Indiquez la pièce demandée : le message sera envoyé au demandeur."],
    ]);
  });

  it("asks for real validity dates, the end after the start, for « Validée »", () => {
    expect(messages(statusForm.safeParse({ status: "APPROVED" }))).toEqual([
      ["validFrom", "Indiquez le début de validité du droit."],
      ["validUntil", "Indiquez la fin de validité du droit."],
    ]);
    expect(messages(statusForm.safeParse({ status: "APPROVED", validFrom: "01/04/2026", validUntil: "01/04/2026" }))).toEqual([
      ["validUntil", "La fin de validité doit être après le début."],
    ]);
    expect(statusForm.parse({ status: "APPROVED", validFrom: "01/04/2026", validUntil: "31/03/2027", confirmed: "oui" })).toEqual({
      to: "APPROVED",
      message: null,
      validFrom: new Date(2026, 3, 1),
      validUntil: new Date(2027, 2, 31),
      confirmed: true,
    });
  });

  it("keeps the message trimmed, and is unconfirmed unless « oui » was sent", () => {
    expect(statusForm.parse({ status: "IN_REVIEW", message: "  Bonjour " })).toEqual({ to: "IN_REVIEW", message: "Bonjour", confirmed: false });
  });
});

describe("the note form", () => {
  it("wants some text, 5000 characters at most", () => {
    expect(messages(noteForm.safeParse({ note: "   " }))).toEqual([["note", "Écrivez la note avant de l'ajouter."]]);
    expect(messages(noteForm.safeParse({ note: "x".repeat(5001) }))).toEqual([["note", "La note ne doit pas dépasser 5000 caractères."]]);
    expect(noteForm.parse({ note: " Appelé le demandeur " })).toEqual({ note: "Appelé le demandeur" });
  });
});

describe("the administrators' forms", () => {
  it("read participations in euros, as typed the French way, into cents", () => {
    const form = participationsForm([
      { code: "Z1_5", label: "Zones 1 à 5" },
      { code: "Z3_5", label: "Zones 3 à 5" },
    ]);
    expect(form.parse({ Z1_5: "42", Z3_5: " 24,50 € " })).toEqual({ Z1_5: 4200, Z3_5: 2450 });
    expect(messages(form.safeParse({ Z1_5: "quarante" }))).toEqual([
      ["Z1_5", "Indiquez un montant en euros pour « Zones 1 à 5 », par exemple 42 ou 42,50."],
      ["Z3_5", "Indiquez un montant en euros pour « Zones 3 à 5 », par exemple 42 ou 42,50."],
    ]);
  });

  it("read each situation's rules, an unticked box being « non »", () => {
    expect(statutsForm([{ code: "PA" }]).parse({ "PA-label": "Personne âgée", "PA-minimumAge": "60", "PA-situationDocument": "Titre de pension" })).toEqual({
      PA: { label: "Personne âgée", minimumAge: 60, mustBeNonTaxable: false, situationDocument: "Titre de pension" },
    });
    expect(
      messages(
        statutsForm([{ code: "PA" }]).safeParse({ "PA-label": "", "PA-minimumAge": "soixante", "PA-mustBeNonTaxable": "on", "PA-situationDocument": "x" }),
      ),
    ).toEqual([
      ["PA-label", "Indiquez le libellé de la situation PA (100 caractères au plus)."],
      ["PA-minimumAge", "L'âge minimum de la situation PA est un nombre d'années, ou vide s'il n'y en a pas."],
    ]);
  });

  it("only disable or re-enable an account whose id is a row id", () => {
    expect(staffActionParams.safeParse({ id: "0b3c9e2a-4f5d-4c1e-9a7b-2d8e6f1a3c5b", action: "desactiver" }).success).toBe(true);
    expect(staffActionParams.safeParse({ id: "0b3c9e2a-4f5d-4c1e-9a7b-2d8e6f1a3c5b", action: "supprimer" }).success).toBe(false);
    expect(staffActionParams.safeParse({ id: "1 OR 1=1", action: "reactiver" }).success).toBe(false);
  });
});
