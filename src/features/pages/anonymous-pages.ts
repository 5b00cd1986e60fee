/**
 * The public pages for a visitor without a session cookie (most of them):
 * answered before the session, the login and the CSRF middleware, which have
 * nothing to do for that visitor, and from HTML rendered once. The page is the
 * same for every such visitor but for the CSP nonce, put in at each answer.
 * Accueil is rendered again when its reference data is read again
 * (PageService.homeFacts). A visitor with a session cookie (logged in, a
 * message to show after « Se déconnecter ») goes through the usual routes.
 */
import type { Request, RequestHandler, Response } from "express";
import { SESSION_COOKIE } from "../../middleware/session.js";
import { paths } from "../../paths.js";
import type { AuditSummary } from "./accessibility-audit.js";
import type { PageService } from "./page-service.js";
import { footerPages } from "./page-routes.js";

/** Stands for the nonce in the HTML kept; never produced by a template. */
const NONCE_PLACEHOLDER = "\u0000csp-nonce\u0000";

interface Rendered {
  /** What the HTML was rendered from: a new value renders again. */
  source: unknown;
  html: string;
}

function hasSessionCookie(req: Request): boolean {
  const cookies = req.headers.cookie;
  return cookies !== undefined && cookies.includes(`${SESSION_COOKIE}=`);
}

/** What viewLocals, idleWarningLocals and csrfTokenForViews give an anonymous visitor's page. */
function anonymousLocals(path: string) {
  return {
    currentUser: null,
    currentPath: path,
    flash: null,
    idleWarning: null,
    cspNonce: NONCE_PLACEHOLDER,
    csrfToken: () => {
      // A form needs a session: such a page is not one of these.
      throw new Error(`${path} écrit un jeton CSRF : elle ne peut pas être servie sans session`);
    },
  };
}

export function anonymousPages(
  service: Pick<PageService, "homeFacts">,
  statement: { audit: AuditSummary; contact: { email: string; postalAddress: string }; publicUrl: string },
): RequestHandler {
  const pages = new Map<string, () => Promise<{ source: unknown; view: string; locals: object }>>([
    [
      paths.home,
      async () => {
        const facts = await service.homeFacts();
        return { source: facts, view: "pages/home", locals: { title: "Accueil", facts } };
      },
    ],
    [
      paths.accessibility,
      () => Promise.resolve({ source: statement, view: "pages/accessibility", locals: { title: "Déclaration d'accessibilité", ...statement } }),
    ],
    ...footerPages.map((page) => [page.path, () => Promise.resolve({ source: page, view: page.view, locals: { title: page.title } })] as const),
  ]);
  const rendered = new Map<string, Rendered>();

  const render = (res: Response, view: string, locals: object) =>
    new Promise<string>((resolve, reject) => res.app.render(view, { ...res.locals, ...locals }, (error, html) => (error ? reject(error) : resolve(html))));

  return (req, res, next) => {
    const page = req.method === "GET" || req.method === "HEAD" ? pages.get(req.path) : undefined;
    if (!page || hasSessionCookie(req)) return next();
    page()
      .then(async ({ source, view, locals }) => {
        const kept = rendered.get(req.path);
        let html = kept && kept.source === source ? kept.html : undefined;
        if (html === undefined) {
          html = await render(res, view, { ...locals, ...anonymousLocals(req.path) });
          rendered.set(req.path, { source, html });
        }
        res.type("html").send(html.replaceAll(NONCE_PLACEHOLDER, res.locals.cspNonce as string));
      })
      .catch(next);
  };
}
