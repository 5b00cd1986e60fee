import { describe, expect, it } from "vitest";
import { registrationFieldOrder, registrationForm } from "../../src/features/account/account-forms.js";
import { formErrorsFromZod } from "../../src/lib/form-errors.js";

describe("form errors", () => {
  it("gives one French message per field, in the order of the form, linked to each field", () => {
    const result = registrationForm.safeParse({ email: "x", firstName: "", lastName: "" });
    expect(result.success).toBe(false);
    const errors = formErrorsFromZod(result.error!, registrationFieldOrder);
    expect(errors.summary.map((item) => item.href)).toEqual(["#champ-lastName", "#champ-firstName", "#champ-email"]);
    expect(errors.fields.lastName).toBe("Indiquez le nom.");
    expect(errors.fields.email).toContain("Indiquez une adresse e-mail valide");
  });

  it("treats a repeated field (an array) as invalid, not as a crash", () => {
    const result = registrationForm.safeParse({ email: ["a@b.fr", "c@d.fr"], firstName: "A", lastName: "B" });
    expect(result.success).toBe(false);
    expect(formErrorsFromZod(result.error!).fields.email).toBe("Indiquez l'adresse e-mail.");
  });
});
