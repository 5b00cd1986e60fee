import { Router } from "express";

/** Accueil and the footer pages: plain content, no state. */
const pages: { path: string; view: string; title: string }[] = [
  { path: "/", view: "pages/home", title: "Accueil" },
  { path: "/faq", view: "pages/faq", title: "Foire aux questions" },
  { path: "/mentions-legales", view: "pages/legal-notice", title: "Mentions légales" },
  { path: "/donnees-personnelles", view: "pages/personal-data", title: "Politique de traitement des données personnelles" },
  { path: "/accessibilite", view: "pages/accessibility", title: "Déclaration d'accessibilité" },
];

export function pageRoutes(): Router {
  const router = Router();
  for (const page of pages) {
    router.get(page.path, (_req, res) => res.render(page.view, { title: page.title }));
  }
  return router;
}
