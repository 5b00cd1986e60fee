/**
 * The texts of the account mails. They name no personal data beyond the
 * person's name, and every link is absolute (built from PUBLIC_URL).
 */
import type { MailContent } from "./compose.js";

const PORTAL = "portail Améthyste de la Seine-Saint-Denis";

export function verificationMail(firstName: string, link: string): MailContent {
  return {
    subject: "Créez votre mot de passe sur le portail Améthyste",
    blocks: [
      `Bonjour ${firstName},`,
      `Vous avez demandé la création d'un compte sur le ${PORTAL}. Pour l'activer, cliquez sur le lien ci-dessous et choisissez votre mot de passe.`,
      { link, label: "Je crée mon mot de passe" },
      "Ce lien est valable 48 heures et ne sert qu'une fois. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucun compte ne sera créé.",
    ],
  };
}

export function alreadyRegisteredMail(firstName: string, loginLink: string, resetLink: string): MailContent {
  return {
    subject: "Vous avez déjà un compte sur le portail Améthyste",
    blocks: [
      `Bonjour ${firstName},`,
      `Quelqu'un (peut-être vous) a demandé à créer un compte sur le ${PORTAL} avec cette adresse e-mail. Un compte existe déjà avec cette adresse : on ne peut en créer qu'un seul.`,
      { link: loginLink, label: "Me connecter" },
      "Si vous avez oublié votre mot de passe, vous pouvez en choisir un nouveau :",
      { link: resetLink, label: "Mot de passe oublié" },
      "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre compte n'a pas changé.",
    ],
  };
}

export function passwordResetMail(firstName: string, link: string): MailContent {
  return {
    subject: "Modification de votre mot de passe sur le portail Améthyste",
    blocks: [
      `Bonjour ${firstName},`,
      `Vous avez demandé le changement de votre mot de passe sur le ${PORTAL}. Cliquez sur le lien ci-dessous pour en choisir un nouveau.`,
      { link, label: "Je choisis un nouveau mot de passe" },
      "Ce lien est valable 1 heure et ne sert qu'une fois. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe n'a pas changé.",
    ],
  };
}

export function passwordChangedMail(firstName: string, resetLink: string): MailContent {
  return {
    subject: "Votre mot de passe du portail Améthyste a été changé",
    blocks: [
      `Bonjour ${firstName},`,
      `Le mot de passe de votre compte sur le ${PORTAL} vient d'être changé. Par sécurité, toutes vos autres connexions ont été fermées.`,
      "Si vous n'êtes pas à l'origine de ce changement, choisissez tout de suite un nouveau mot de passe et prévenez le Département :",
      { link: resetLink, label: "Choisir un nouveau mot de passe" },
    ],
  };
}
