import { Router } from "express";
import type { Database } from "../../db/prisma.js";
import type { AuditSummary } from "./accessibility-audit.js";
import { homeFacts } from "./home-facts.js";

/** The footer pages: plain content, no state. */
const pages: { path: string; view: string; title: string }[] = [
  { path: "/faq", view: "pages/faq", title: "Foire aux questions" },
  { path: "/mentions-legales", view: "pages/legal-notice", title: "Mentions légales" },
  { path: "/donnees-personnelles", view: "pages/personal-data", title: "Politique de traitement des données personnelles" },
];

export function pageRoutes(db: Database, statement: { audit: AuditSummary; contact: { email: string; postalAddress: string }; publicUrl: string }): Router {
  const router = Router();
  router.get("/accessibilite", (_req, res) => res.render("pages/accessibility", { title: "Déclaration d'accessibilité", ...statement }));
  router.get("/", async (_req, res) => {
    res.render("pages/home", { title: "Accueil", facts: await homeFacts(db) });
  });
  for (const page of pages) {
    router.get(page.path, (_req, res) => res.render(page.view, { title: page.title }));
  }
  return router;
}
