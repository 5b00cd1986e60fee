/**
 * gzip or brotli (whichever the browser prefers among those it accepts) for
 * text answers above 1 Ko: pages, stylesheet, script. The `compression`
 * middleware (Express team) skips what is already compressed (images, PDFs:
 * their types are not « compressible ») and answers without compression to a
 * client that does not ask for it.
 *
 * BREACH: a compressed HTTPS answer that holds a secret next to text an
 * attacker chooses (a search term echoed in the page) leaks the secret a few
 * bytes at a time through the answer's length. Our secret in pages is the
 * CSRF token, which stays the same for a whole session. So an answer that
 * wrote a CSRF token (any form: every page of a logged-in person, for its
 * « Se déconnecter ») goes uncompressed; the public pages (Accueil, FAQ, …),
 * the CSS and the script, which hold no secret, are compressed. A token masked
 * afresh in each answer would allow compressing those too.
 */
import compression from "compression";
import type { Request, RequestHandler, Response } from "express";

/** Below this, compression costs more than the bytes it saves. */
const THRESHOLD_BYTES = 1024;

/** Whether the answer being built wrote the CSRF token (set by noteCsrfTokenUse). */
function carriesCsrfToken(res: Response): boolean {
  return res.locals.carriesCsrfToken === true;
}

export function compressAnswers(): RequestHandler {
  return compression({
    threshold: THRESHOLD_BYTES,
    filter: (req: Request, res: Response) => !carriesCsrfToken(res) && compression.filter(req, res),
  });
}

/**
 * Mounted after the middleware that gives views `csrfToken()`: the function
 * then records that the answer holds the token. The filter above runs when
 * the headers leave, after the view is rendered.
 */
export const noteCsrfTokenUse: RequestHandler = (_req, res, next) => {
  const csrfToken = res.locals.csrfToken as (() => string) | undefined;
  if (typeof csrfToken === "function") {
    res.locals.csrfToken = () => {
      res.locals.carriesCsrfToken = true;
      return csrfToken();
    };
  }
  next();
};
