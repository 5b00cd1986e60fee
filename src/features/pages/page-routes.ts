import { Router } from "express";
import { paths } from "../../paths.js";
import type { AuditSummary } from "./accessibility-audit.js";
import type { PageService } from "./page-service.js";

/** The footer pages: plain content, no state. */
export const footerPages: { path: string; view: string; title: string }[] = [
  { path: paths.faq, view: "pages/faq", title: "Foire aux questions" },
  { path: paths.legalNotice, view: "pages/legal-notice", title: "Mentions légales" },
  { path: paths.personalData, view: "pages/personal-data", title: "Politique de traitement des données personnelles" },
];

export function pageRoutes(
  service: Pick<PageService, "homeFacts">,
  statement: { audit: AuditSummary; contact: { email: string; postalAddress: string }; publicUrl: string },
): Router {
  const router = Router();
  router.get(paths.accessibility, (_req, res) => res.render("pages/accessibility", { title: "Déclaration d'accessibilité", ...statement }));
  router.get(paths.home, async (_req, res) => {
    res.render("pages/home", { title: "Accueil", facts: await service.homeFacts() });
  });
  for (const page of footerPages) {
    router.get(page.path, (_req, res) => res.render(page.view, { title: page.title }));
  }
  return router;
}
