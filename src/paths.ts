/**
 * Every URL of the portal, in one place. Routes are declared with these
 * patterns, and views, mails and redirects build their links with pathTo(),
 * so that renaming a page is one edit. Patterns use Express 5's syntax
 * (path-to-regexp, the library Express itself uses to match them).
 */
import { compile, match } from "path-to-regexp";

export const paths = {
  home: "/",
  health: "/healthz",
  accessibility: "/accessibilite",
  faq: "/faq",
  legalNotice: "/mentions-legales",
  personalData: "/donnees-personnelles",
  keepAlive: "/session/prolonger",

  register: "/inscription",
  registerSent: "/inscription/email-envoye",
  registerConfirm: "/inscription/confirmer",
  registerNewLink: "/inscription/nouveau-lien",
  login: "/connexion",
  logout: "/deconnexion",
  forgottenPassword: "/mot-de-passe-oublie",
  forgottenPasswordSent: "/mot-de-passe-oublie/email-envoye",
  resetPassword: "/reinitialiser-mot-de-passe",
  changePassword: "/mon-compte/mot-de-passe",
  profile: "/mes-informations",
  profileConfirmEmail: "/mes-informations/confirmer-email",
  myData: "/mon-compte/mes-donnees",
  deleteAccount: "/mon-compte/supprimer",
  accountDeleted: "/compte-supprime",

  request: "/demande",
  requestStep: "/demande/etape/:slug",
  /** The récapitulatif step, named for « Mes informations personnelles », which leads back to it (the profile feature does not know the wizard). */
  requestSummary: "/demande/etape/recapitulatif",
  requestDocuments: "/demande/justificatifs/:section",
  requestDocumentDelete: "/demande/justificatifs/fichier/:id/supprimer",
  requestMissingDocument: "/demande/justificatifs/:section/non-fourni",
  requestMissingDocumentWithdraw: "/demande/justificatifs/:section/non-fourni/retirer",
  document: "/documents/:id",

  myRequests: "/mes-demandes",
  myFinishedRequests: "/mes-demandes/terminees",
  myRequest: "/mes-demandes/:number",
  myRequestConfirmation: "/mes-demandes/:number/confirmation",
  myRequestComplements: "/mes-demandes/:number/pieces",
  myRequestWithdraw: "/mes-demandes/:number/retirer",
  myRequestReceipt: "/mes-demandes/:number/recepisse",
  myRequestAttestation: "/mes-demandes/:number/attestation",

  myAidant: "/mon-aidant",
  myAidantInvite: "/mon-aidant/inviter",
  myAidantInvitationCancel: "/mon-aidant/invitations/:id/annuler",
  myAidantEnd: "/mon-aidant/acces/:id/retirer",
  aidantInvitation: "/invitation-aidant",
  aidantInvitationAccount: "/invitation-aidant/compte",
  aidantPeople: "/personnes-aidees",
  aidantActFor: "/personnes-aidees/agir",
  aidantActForSelf: "/personnes-aidees/mon-compte",
  aidantLeave: "/personnes-aidees/acces/:id/quitter",

  invitation: "/invitation",
  invitationCode: "/invitation/code",
  verify: "/verifier",
  /** « Renouveler »: starts a renewal filled from the last validated request (the reminder mails link here). */
  renew: "/renouveler",

  agent: "/agent",
  /** The agent's « Mes demandes »: the queue « Attribuées à moi » (not the applicants' /mes-demandes). */
  agentMine: "/agent/mes-demandes",
  agentRequest: "/agent/demandes/:number",
  agentRequestIban: "/agent/demandes/:number/iban",
  agentRequestNotes: "/agent/demandes/:number/notes",
  agentRequestStatus: "/agent/demandes/:number/statut",
  agentRequestReceipt: "/agent/demandes/:number/recepisse",
  agentRequestAttestation: "/agent/demandes/:number/attestation",
  agentRequestAssign: "/agent/demandes/:number/attribution",
  agentRequestUnassign: "/agent/demandes/:number/attribution/retirer",
  agentDocument: "/agent/documents/:id",
  agentExport: "/agent/export.csv",
  agentInvitations: "/agent/invitations",

  admin: "/admin",
  adminAgents: "/admin/agents",
  adminAgentAction: "/admin/agents/:id/:action",
  adminJournal: "/admin/journal",
  adminMessages: "/admin/messages",
  adminMessageResend: "/admin/messages/:id/renvoyer",
  adminParticipations: "/admin/participations",
  adminStatuts: "/admin/statuts",
  adminStatistics: "/admin/statistiques",

  devMailbox: "/dev/mails",
} as const;

export type PathName = keyof typeof paths;
type Pattern = (typeof paths)[PathName];

/** The parameter names of a pattern: "/mes-demandes/:number" → "number". */
type ParamsOf<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamsOf<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

const compiled = new Map<string, (params: Record<string, string>) => string>();

/**
 * The URL of a page, its parameters encoded: pathTo(paths.myRequest, { number }).
 * A pattern without parameters needs none.
 */
export function pathTo<P extends Pattern>(pattern: P, ...[params]: ParamsOf<P> extends never ? [] : [Record<ParamsOf<P>, string>]): string {
  if (!params) return pattern;
  let build = compiled.get(pattern);
  if (!build) {
    build = compile(pattern);
    compiled.set(pattern, build);
  }
  return build(params);
}

/** Whether a request path is one of these patterns (for middleware that applies to a few pages). */
export function matchesAny(patterns: readonly Pattern[]): (requestPath: string) => boolean {
  const matchers = patterns.map((pattern) => match(pattern, { decode: false }));
  return (requestPath) => matchers.some((matches) => matches(requestPath) !== false);
}
