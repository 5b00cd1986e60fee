/**
 * The texts of the mails. They name no personal data beyond the person's
 * name, and every link is absolute: PUBLIC_URL, then a path built from the
 * one list of paths (mailLinks).
 */
import { pathTo, paths } from "../paths.js";
import type { MailContent } from "./compose.js";

/**
 * Every link a mail carries, absolute. Tokens and codes go in the query
 * string, encoded; the request number in the path, encoded by pathTo.
 */
export function mailLinks(publicUrl: string) {
  const absolute = (path: string, query?: Record<string, string>) => `${publicUrl}${path}${query ? `?${new URLSearchParams(query).toString()}` : ""}`;
  return {
    verify: (token: string) => absolute(pathTo(paths.registerConfirm), { token }),
    reset: (token: string) => absolute(pathTo(paths.resetPassword), { token }),
    confirmEmail: (token: string) => absolute(pathTo(paths.profileConfirmEmail), { token }),
    invitation: (code: string) => absolute(pathTo(paths.invitation), { code }),
    myRequest: (number: string) => absolute(pathTo(paths.myRequest, { number })),
    attestation: (number: string) => absolute(pathTo(paths.myRequestAttestation, { number })),
    aidantInvitation: (token: string) => absolute(pathTo(paths.aidantInvitation), { token }),
    myAidant: absolute(pathTo(paths.myAidant)),
    login: absolute(pathTo(paths.login)),
    renew: absolute(pathTo(paths.renew)),
    forgotten: absolute(pathTo(paths.forgottenPassword)),
  };
}

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
    subject: "Modification de votre mot de passe sur le portail du téléservice Améthyste de la Seine-Saint-Denis",
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

export function emailChangeMail(firstName: string, link: string): MailContent {
  return {
    subject: "Confirmez votre nouvelle adresse e-mail sur le portail Améthyste",
    blocks: [
      `Bonjour ${firstName},`,
      `Vous avez demandé à utiliser cette adresse e-mail pour votre compte sur le ${PORTAL}. Pour confirmer, cliquez sur le lien ci-dessous. D'ici là, votre ancienne adresse reste celle du compte.`,
      { link, label: "Je confirme ma nouvelle adresse" },
      "Ce lien est valable 48 heures et ne sert qu'une fois. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
    ],
  };
}

/** To the applicant at submission. */
export function requestSubmittedMail(firstName: string, number: string, link: string): MailContent {
  return {
    subject: `Votre demande de forfait Améthyste ${number} est déposée`,
    blocks: [
      `Bonjour ${firstName},`,
      `Nous avons bien reçu votre demande de forfait Améthyste. Son numéro est ${number}.`,
      "Un agent du Département va l'examiner. Vous recevrez un e-mail à chaque étape, et vous pouvez suivre votre demande dans « Mes demandes en cours » :",
      { link, label: "Voir ma demande" },
    ],
  };
}

/** What each status means for the person, in the mail that announces it. */
const STATUS_EXPLANATIONS: Partial<Record<string, string>> = {
  "En cours d'instruction": "Un agent du Département examine maintenant la demande.",
  "En attente de pièce complémentaire":
    "Le Département a besoin d'une pièce complémentaire. Connectez-vous pour voir laquelle, puis ajoutez-la depuis « Mes demandes en cours » avec « Joindre un ou plusieurs fichiers ».",
  "Pièce complémentaire reçue": "Les pièces ajoutées ont été transmises à l'agent qui traite la demande.",
  Validée: "Le forfait Améthyste est accordé. Connectez-vous pour voir ses dates de validité.",
  Refusée: "La demande n'a pas pu être acceptée. Connectez-vous pour lire la réponse du Département.",
  "Classée sans suite": "La demande est close et ne sera pas traitée.",
};

/** To the applicant or the aidant at each status change: the status and the number, nothing more personal. */
export function statusChangedMail(
  recipient: "applicant" | "aidant",
  applicantName: string,
  number: string,
  statusLabel: string,
  link: string,
  /** « Droit valable du … au … », once validated. */
  validity: string | null = null,
  /**
   * The attestation's PDF, once validated: a link behind the login, never an
   * attachment (a mail is not a safe place for a document naming the person).
   */
  attestationLink: string | null = null,
): MailContent {
  const explanation = validity ? `Le forfait Améthyste est accordé. ${validity}.` : STATUS_EXPLANATIONS[statusLabel];
  return {
    subject: `Demande de forfait Améthyste ${number} : ${statusLabel}`,
    blocks: [
      "Bonjour,",
      recipient === "applicant"
        ? `Le statut de votre demande de forfait Améthyste ${number} a changé : « ${statusLabel} ».`
        : `Le statut de la demande de forfait Améthyste ${number} de ${applicantName}, que vous aidez, a changé : « ${statusLabel} ».`,
      ...(explanation ? [explanation] : []),
      recipient === "applicant"
        ? "Connectez-vous au portail pour voir le détail et la réponse du Département :"
        : "Pour voir le détail, connectez-vous au portail avec le compte de la personne que vous aidez :",
      { link, label: "Voir la demande" },
      ...(attestationLink
        ? [
            "L'attestation de droit au forfait Améthyste, en PDF, est disponible après connexion :",
            { link: attestationLink, label: "Télécharger l'attestation" },
          ]
        : []),
    ],
  };
}

export function invitationMail(firstName: string, code: string, link: string): MailContent {
  return {
    subject: "Votre invitation à créer votre compte sur le portail Améthyste",
    blocks: [
      `Bonjour ${firstName},`,
      `Un agent du Département de la Seine-Saint-Denis vous invite à créer votre compte sur le ${PORTAL}, pour demander le forfait Améthyste.`,
      { link, label: "Je crée mon compte" },
      `Vous pouvez aussi cliquer sur « Utiliser une invitation » sur la page de connexion et saisir ce code : ${code}`,
      "L'invitation est valable 14 jours et ne sert qu'une fois.",
    ],
  };
}

export function agentAccountMail(firstName: string, link: string): MailContent {
  return {
    subject: "Votre compte agent sur le portail Améthyste",
    blocks: [
      `Bonjour ${firstName},`,
      `Un administrateur vous a créé un compte agent sur le ${PORTAL}. Pour l'activer, choisissez votre mot de passe :`,
      { link, label: "Je choisis mon mot de passe" },
      "Ce lien est valable 48 heures et ne sert qu'une fois.",
    ],
  };
}

/**
 * To an address that already has an account, when someone asks to use it for
 * another one: no link (the address stays with its account), and nothing
 * about who asked.
 */
export function emailInUseMail(firstName: string): MailContent {
  return {
    subject: "Quelqu'un a demandé à utiliser votre adresse e-mail sur le portail Améthyste",
    blocks: [
      `Bonjour ${firstName},`,
      `Quelqu'un a demandé à utiliser votre adresse e-mail pour un autre compte sur le ${PORTAL}. Cette adresse est déjà celle de votre compte : elle ne peut pas servir à un second compte, et rien n'a changé.`,
      "Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer ce message.",
    ],
  };
}

/** To the current address when someone asks to replace it: the owner learns of it if it was not them. */
export function emailChangeNoticeMail(firstName: string, resetLink: string): MailContent {
  return {
    subject: "Demande de changement de votre adresse e-mail sur le portail Améthyste",
    blocks: [
      `Bonjour ${firstName},`,
      `Un changement d'adresse e-mail a été demandé pour votre compte sur le ${PORTAL}. Un lien de confirmation a été envoyé à la nouvelle adresse ; tant qu'il n'est pas utilisé, rien ne change.`,
      "Si vous n'êtes pas à l'origine de cette demande, quelqu'un utilise peut-être votre compte : choisissez tout de suite un nouveau mot de passe.",
      { link: resetLink, label: "Choisir un nouveau mot de passe" },
    ],
  };
}

/** To the owner of an account whose password is being guessed: once per blocking window. */
export function loginAttemptsMail(firstName: string, blockedMinutes: number, resetLink: string): MailContent {
  return {
    subject: "Tentatives de connexion à votre compte sur le portail Améthyste",
    blocks: [
      `Bonjour ${firstName},`,
      `Il y a eu plusieurs tentatives de connexion à votre compte sur le ${PORTAL} avec un mauvais mot de passe. Par sécurité, les connexions à votre compte sont suspendues pendant ${blockedMinutes} minutes.`,
      "Si c'était vous, attendez ce délai avant de réessayer. Si vous avez oublié votre mot de passe, vous pouvez en choisir un nouveau :",
      { link: resetLink, label: "Mot de passe oublié" },
      "Si ce n'était pas vous, quelqu'un essaie peut-être de deviner votre mot de passe : choisissez-en un que vous n'utilisez pour aucun autre site, et ne le communiquez à personne. Le Département ne vous le demandera jamais.",
    ],
  };
}

/** Before the retention job deletes a draft nobody touched (src/features/retention/). */
export function draftDeletionWarningMail(firstName: string, deletionDay: string, untouchedFor: string, link: string): MailContent {
  return {
    subject: "Votre demande en brouillon sera bientôt supprimée",
    blocks: [
      `Bonjour ${firstName},`,
      `Vous avez commencé une demande de forfait Améthyste sur le ${PORTAL}, mais elle n'a pas été modifiée depuis ${untouchedFor}. Sans nouvelle action de votre part, ce brouillon et les justificatifs déposés seront supprimés à partir du ${deletionDay}.`,
      "Pour la garder, il suffit de la compléter ou de la modifier avant cette date :",
      { link, label: "Créer ou compléter ma demande" },
    ],
  };
}

/** To the aidant an applicant invites from « Mon aidant »: a single-use link, with the applicant's name only. */
export function aidantInvitationMail(applicantName: string, link: string, validDays: number): MailContent {
  return {
    subject: `${applicantName} vous invite à l'aider sur le portail Améthyste`,
    blocks: [
      "Bonjour,",
      `${applicantName} vous invite à devenir son aidant sur le ${PORTAL}. Vous pourrez, avec votre propre compte, remplir et envoyer ses demandes de forfait Améthyste, ajouter ses justificatifs et suivre les réponses du Département. Vous n'aurez jamais besoin de son mot de passe.`,
      { link, label: "J'accepte d'aider cette personne" },
      `Ce lien est valable ${validDays} jours et ne sert qu'une fois. Si vous avez déjà un compte sur le portail, connectez-vous avec lui ; sinon, vous pourrez en créer un. Si vous ne connaissez pas cette personne, ignorez ce message.`,
    ],
  };
}

/** Before the retention job deletes an account without activity. */
export function accountDeletionWarningMail(firstName: string, deletionDay: string, inactiveFor: string, link: string): MailContent {
  return {
    subject: "Votre compte sur le portail Améthyste sera bientôt supprimé",
    blocks: [
      `Bonjour ${firstName},`,
      `Vous ne vous êtes pas connecté à votre compte sur le ${PORTAL} depuis ${inactiveFor}. Sans connexion de votre part, il sera supprimé à partir du ${deletionDay}, avec vos informations personnelles et vos justificatifs. Les demandes terminées sont conservées sans votre nom ni vos coordonnées.`,
      "Pour garder votre compte, il suffit de vous connecter avant cette date :",
      { link, label: "Me connecter" },
    ],
  };
}

/** After « Supprimer mon compte », or after the retention job deleted an inactive account. */
export function accountDeletedMail(firstName: string): MailContent {
  return {
    subject: "Votre compte sur le portail Améthyste a été supprimé",
    blocks: [
      `Bonjour ${firstName},`,
      `Votre compte sur le ${PORTAL} a été supprimé, avec vos informations personnelles, vos brouillons et vos justificatifs. Les demandes terminées sont conservées sans votre nom, votre adresse, votre adresse e-mail, votre IBAN ni votre numéro de passe Navigo.`,
      "Vous pouvez créer un nouveau compte à tout moment. Si vous n'êtes pas à l'origine de cette suppression, contactez le Département.",
    ],
  };
}

/** To the applicant when their aidant accepts: they learn who now has access, and where to end it. */
export function aidantAcceptedMail(firstName: string, aidantName: string, link: string): MailContent {
  return {
    subject: `${aidantName} peut maintenant vous aider sur le portail Améthyste`,
    blocks: [
      `Bonjour ${firstName},`,
      `${aidantName} a accepté votre invitation : cette personne peut maintenant remplir et suivre vos demandes de forfait Améthyste avec son propre compte. Chacune de ses actions est enregistrée à son nom.`,
      "Vous pouvez mettre fin à cet accès à tout moment depuis « Mon aidant » :",
      { link, label: "Mon aidant" },
    ],
  };
}

/**
 * 60 and 15 days before « Droit valable au »: to the applicant, or to the
 * aidant the request names (who reads it for the person). The date and the
 * link, nothing more personal.
 */
export function renewalReminderMail(to: { name: string; isAidant: boolean }, validUntil: string, link: string): MailContent {
  const whose = to.isAidant ? "Le forfait Améthyste de la personne que vous aidez" : "Votre forfait Améthyste";
  return {
    subject: `${whose} est valable jusqu'au ${validUntil} : pensez à le renouveler`,
    blocks: [
      `Bonjour ${to.name},`,
      `${whose} est valable jusqu'au ${validUntil}. Pour continuer à en bénéficier sans interruption, faites dès maintenant la demande de renouvellement sur le ${PORTAL}.`,
      "La demande de renouvellement reprend les réponses et les justificatifs encore valables de la demande précédente : il suffit de les vérifier et de changer ce qui a changé.",
      { link, label: "Renouveler" },
      "Si la demande de renouvellement est déjà faite, ignorez ce message.",
    ],
  };
}
