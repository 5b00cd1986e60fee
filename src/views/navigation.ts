/**
 * The main menu of the layout: what each kind of visitor sees, and which item
 * is the current page (aria-current).
 */
import { paths } from "../paths.js";

export interface NavigationItem {
  href: string;
  label: string;
}

interface Visitor {
  role: string;
}

const staffNavigation: NavigationItem[] = [
  { href: paths.agent, label: "File des demandes" },
  { href: paths.agentMine, label: "Mes demandes" },
  { href: paths.agentInvitations, label: "Nouvelle invitation" },
];

const adminNavigation: NavigationItem[] = [
  { href: paths.adminAgents, label: "Comptes agents" },
  { href: paths.adminParticipations, label: "Participations" },
  { href: paths.adminStatuts, label: "Situations" },
  { href: paths.adminJournal, label: "Journal d'audit" },
  { href: paths.adminMessages, label: "Messages non distribués" },
  { href: paths.adminStatistics, label: "Statistiques" },
];

const applicantNavigation: NavigationItem[] = [
  { href: paths.home, label: "Accueil" },
  { href: paths.profile, label: "Mes informations personnelles" },
  { href: paths.request, label: "Créer ou compléter ma demande" },
  { href: paths.myRequests, label: "Mes demandes en cours" },
  { href: paths.myFinishedRequests, label: "Demandes terminées" },
];

const visitorNavigation: NavigationItem[] = [
  { href: paths.home, label: "Accueil" },
  { href: paths.login, label: "Se connecter" },
];

export function navigationFor(user: Visitor | null): NavigationItem[] {
  if (!user) return visitorNavigation;
  if (user.role === "APPLICANT") return applicantNavigation;
  return user.role === "ADMIN" ? [...staffNavigation, ...adminNavigation] : staffNavigation;
}

/**
 * Whether a menu item is the page shown: its own path, or a page under it
 * (a request under « Mes demandes en cours »). The home page and the queue are
 * current only on themselves: every page is under "/", and the queue's
 * requests are reached from it but are not the queue.
 */
export function isCurrentItem(href: string, currentPath: string): boolean {
  if (currentPath === href) return true;
  return href !== paths.home && href !== paths.agent && currentPath.startsWith(href + "/");
}

/**
 * The one item marked as the page shown: the most precise that matches, so
 * that « Demandes terminées » (/mes-demandes/terminees) is not also shown as
 * « Mes demandes en cours » (/mes-demandes), the page above it.
 */
export function currentItemHref(items: NavigationItem[], currentPath: string): string | undefined {
  return items
    .filter((item) => isCurrentItem(item.href, currentPath))
    .map((item) => item.href)
    .sort((a, b) => b.length - a.length)[0];
}
