/**
 * The form control partials (views/partials/form/), rendered alone: the ids
 * and aria attributes that the error summary and screen readers rely on.
 */
import path from "node:path";
import ejs from "ejs";
import { describe, expect, it } from "vitest";
import { viewDefaults } from "../../src/middleware/view-locals.js";
import { describedBy } from "../../src/views/form-controls.js";

const formFolder = path.resolve(import.meta.dirname, "../../views/partials/form");

/** The HTML of one partial with these locals, as a view's include() gives it. */
function control(partial: string, locals: Record<string, unknown>): string {
  const template = `<%- include(${JSON.stringify(partial)}, control) %>`;
  return ejs.render(template, { ...viewDefaults, control: locals }, { filename: path.join(formFolder, "test.ejs") });
}

const tagOf = (html: string, tag: string) => new RegExp(`<${tag}\\b[^>]*>`).exec(html)?.[0] ?? "";

describe("the described-by ids of a control", () => {
  it("name the hint, the extra ids, then the error, and nothing when nothing describes it", () => {
    expect(describedBy("champ-x", { hint: "Par exemple", extra: "regle-mot-de-passe", error: "Manque" })).toBe("champ-x-hint regle-mot-de-passe champ-x-error");
    expect(describedBy("champ-x", { hint: null, error: "" })).toBe("");
  });
});

describe("the form control partials", () => {
  it("give a text input its label, hint and error, linked by id and aria attributes", () => {
    const html = control("input", {
      name: "postalCode",
      label: "Code postal",
      required: true,
      hint: "5 chiffres",
      value: "93<0>",
      error: "Indiquez 5 chiffres.",
    });
    expect(html).toContain(
      '<label class="field__label" for="champ-postalCode">Code postal <span class="required" aria-hidden="true">*</span><span class="visually-hidden"> (obligatoire)</span></label>',
    );
    expect(html).toContain('<p class="field__hint" id="champ-postalCode-hint">5 chiffres</p>');
    expect(html).toContain('<p class="field__error" id="champ-postalCode-error"><span class="visually-hidden">Erreur : </span>Indiquez 5 chiffres.</p>');
    const input = tagOf(html, "input");
    expect(input).toContain('id="champ-postalCode"');
    expect(input).toContain('value="93&lt;0&gt;"');
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain('aria-describedby="champ-postalCode-hint champ-postalCode-error"');
    expect(html).toContain('class="field field--error"');
  });

  it("never show a password back, and describe a new one by the password rule", () => {
    const html = control("password", {
      name: "password",
      label: "Mot de passe",
      required: true,
      autocomplete: "new-password",
      rule: true,
      value: "secret",
      error: null,
    });
    const input = tagOf(html, "input");
    expect(input).toContain('type="password"');
    expect(input).not.toContain("value=");
    expect(input).toContain('aria-describedby="regle-mot-de-passe"');
  });

  it("give a text area the same block, and what was typed", () => {
    const html = control("textarea", {
      name: "message",
      label: "Réponse",
      hint: "Obligatoire pour un refus.",
      rows: 4,
      value: "Bonjour <b>",
      error: "Indiquez la raison.",
    });
    expect(html).toContain('<label class="field__label" for="champ-message">Réponse</label>');
    expect(tagOf(html, "textarea")).toContain('aria-describedby="champ-message-hint champ-message-error"');
    expect(html).toContain(">Bonjour &lt;b&gt;</textarea>");
  });

  it("put radio buttons in a fieldset named by its legend, the first button carrying the field's id", () => {
    const html = control("radios", {
      name: "type",
      legend: "Type de demande",
      required: true,
      options: [
        { value: "FIRST", label: "Première demande", hint: "Pour la première fois." },
        { value: "RENEWAL", label: "Renouvellement" },
      ],
      value: "RENEWAL",
      error: "Choisissez.",
    });
    expect(tagOf(html, "fieldset")).toContain('aria-describedby="champ-type-error"');
    expect(html).toMatch(/<legend class="field__label">Type de demande <span class="required"/);
    expect(html).toContain('<input type="radio" id="champ-type" name="type" value="FIRST" aria-describedby="champ-type-hint">');
    expect(html).toContain('<input type="radio" id="champ-type-1" name="type" value="RENEWAL" checked>');
    expect(html).toContain('<label for="champ-type-1">Renouvellement</label>');
  });

  it("give a select the block and the chosen option", () => {
    const html = control("select", { name: "zonage", label: "Zonage", options: [{ value: "Z1", label: "Zones 1-2" }], value: "Z1", error: null });
    expect(html).toContain('<label class="field__label" for="champ-zonage">Zonage</label>');
    expect(html).toContain('<option value="Z1" selected>Zones 1-2</option>');
  });

  it("describe a checkbox by its error rather than its hint when it is in error", () => {
    const calm = control("checkbox", { name: "remember", label: "Mémoriser", hint: "30 jours", checked: true });
    expect(tagOf(calm, "input")).toContain('aria-describedby="champ-remember-hint"');
    expect(tagOf(calm, "input")).toContain(" checked");
    expect(calm).toContain('<label for="champ-remember">Mémoriser</label>');
    const wrong = control("checkbox", { name: "acceptTerms", label: "J'accepte", required: true, checked: false, error: "Cochez la case." });
    expect(tagOf(wrong, "input")).toContain('aria-describedby="champ-acceptTerms-error"');
    expect(wrong.indexOf("field__error")).toBeLessThan(wrong.indexOf("<input"));
  });

  it("give a file input the accepted formats of the upload rules, and its section's id", () => {
    const html = control("file", {
      name: "fichiers",
      id: "section-IDENTITY",
      label: "Sélectionner le(s) fichier(s)",
      hiddenSuffix: " pour « Identité »",
      describedBy: "champ-section-IDENTITY-hint",
      multiple: true,
      error: "Trop gros.",
    });
    const input = tagOf(html, "input");
    expect(input).toContain('id="champ-section-IDENTITY" name="fichiers" multiple accept=".pdf,');
    expect(input).toContain('aria-describedby="champ-section-IDENTITY-hint champ-section-IDENTITY-error"');
    expect(html).toContain(
      '<label class="field__label" for="champ-section-IDENTITY">Sélectionner le(s) fichier(s)<span class="visually-hidden"> pour « Identité »</span></label>',
    );
  });
});
