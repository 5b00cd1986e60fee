import type { RequestHandler } from "express";

/**
 * Every page built by the portal may show personal data (a profile, a request,
 * a link's token, the agent's queue) or depend on who is logged in: none of
 * them is kept by the browser or any cache in between. After « Se déconnecter »
 * the Back button must not show the previous person's page again, on a
 * computer shared at a counter or in a family. Static files (CSS, JS, icons)
 * are served before this and keep their own caching.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set("Cache-Control", "no-store");
  next();
};
