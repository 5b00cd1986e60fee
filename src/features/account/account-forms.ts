/** The account forms: one zod schema each, with the French messages. */
import { z } from "zod";
import { passwordProblem } from "../../domain/password-policy.js";
import { checkbox, emailAddress, personName, typedPassword } from "../../lib/form-fields.js";

export const registrationForm = z.object({
  lastName: personName({ missing: "Indiquez le nom." }),
  firstName: personName({ missing: "Indiquez le prénom." }),
  email: emailAddress({ missing: "Indiquez l'adresse e-mail." }),
});
export const registrationFieldOrder = ["lastName", "firstName", "email"] as const;

export const loginForm = z.object({
  email: emailAddress({ missing: "Indiquez votre adresse de messagerie." }),
  password: typedPassword({ missing: "Indiquez votre mot de passe." }),
  remember: checkbox,
});
export const loginFieldOrder = ["email", "password"] as const;

export const forgottenPasswordForm = z.object({
  email: emailAddress({ missing: "Indiquez l'adresse e-mail de votre compte." }),
});

/** A new password and its confirmation, checked against the guide's rule. */
function newPasswordFields(names: { password: string; confirmation: string }) {
  return z
    .object({
      [names.password]: typedPassword({ missing: "Choisissez un mot de passe." }),
      [names.confirmation]: typedPassword({ missing: "Confirmez le mot de passe." }),
    })
    .superRefine((values, context) => {
      const password = values[names.password] as string;
      const problem = passwordProblem(password);
      if (problem) context.addIssue({ code: "custom", path: [names.password], message: problem });
      else if (values[names.confirmation] !== password) {
        context.addIssue({
          code: "custom",
          path: [names.confirmation],
          message: "La confirmation ne correspond pas au mot de passe. Saisissez le même mot de passe deux fois.",
        });
      }
    });
}

export const choosePasswordForm = newPasswordFields({ password: "password", confirmation: "confirmation" });
export const choosePasswordFieldOrder = ["password", "confirmation"] as const;

export const changePasswordForm = z
  .object({ currentPassword: typedPassword({ missing: "Indiquez votre mot de passe actuel." }) })
  .and(newPasswordFields({ password: "password", confirmation: "confirmation" }));
export const changePasswordFieldOrder = ["currentPassword", "password", "confirmation"] as const;

/** The token of a mailed link, from the query string or the form's hidden field: "" when absent or repeated. */
export const linkToken = z.object({ token: z.string().catch("") });

/** « Recevoir un nouveau lien »: the id of the expired link, "" when absent or repeated. */
export const newLinkForm = z.object({ tokenId: z.string().catch("") });
