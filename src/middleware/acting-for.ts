/**
 * « Agir pour … »: an aidant logged in with their own account acts for a
 * person they help. The session keeps only whom they act for; this
 * middleware checks it against an open AidantAccess on EVERY request, so
 * an access ended (by either person, or with the applicant's account) takes
 * effect at once. req.user stays the person logged in (who did it);
 * applicantIdOf(req) is whose requests, draft and documents the applicant
 * pages work on. It lives here, not in a feature, so that the applicant
 * features can use it without importing the aidants feature.
 */
import { isRequestNumber } from "../lib/request-number.js";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { paths, pathTo } from "../paths.js";

/** The person an aidant acts for, as the banner and the pages name them. */
export interface ActingFor {
  id: string;
  firstName: string;
  lastName: string;
}

declare module "express-session" {
  interface SessionData {
    /** The applicant this aidant acts for (« Agir pour … »); checked on every request. */
    actingFor?: string;
  }
}

declare module "express-serve-static-core" {
  interface Request {
    /** Set by actingForMiddleware while the logged-in aidant acts for someone with an open access. */
    actingFor?: ActingFor;
  }
}

/** Whom the applicant pages work on: the person acted for, else the person logged in. */
export function applicantIdOf(req: Request): string {
  return req.actingFor?.id ?? req.user!.id;
}

/** The person acted for, when the person logged in has an open access to them; null otherwise. */
export type FindActingFor = (aidantId: string, applicantId: string) => Promise<ActingFor | null>;

/** What an aidant did for someone, for the audit log: the route's pattern and the request number, never what was typed. */
export interface AidantAction {
  aidantId: string;
  applicantId: string;
  method: string;
  page: string;
  number?: string;
}

export const ACCESS_ENDED_MESSAGE = "Votre accès au compte de cette personne a pris fin : vous êtes revenu sur votre propre compte.";

/**
 * Resolves the person acted for on every request. An access that ended
 * sends the aidant back to their own account with a message, before the
 * request does anything: a form posted for that person is never applied to
 * the aidant's own account instead.
 */
export function actingForMiddleware(findActingFor: FindActingFor, recordAction: (action: AidantAction) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    const applicantId = req.session?.actingFor;
    res.locals.actingFor = null;
    if (!applicantId) {
      next();
      return;
    }
    if (!req.user || req.user.role !== "APPLICANT") {
      delete req.session.actingFor;
      next();
      return;
    }
    const aidantId = req.user.id;
    findActingFor(aidantId, applicantId).then((person) => {
      if (!person) {
        delete req.session.actingFor;
        req.session.flash = ACCESS_ENDED_MESSAGE;
        res.redirect(303, pathTo(paths.aidantPeople));
        return;
      }
      req.actingFor = person;
      res.locals.actingFor = person;
      const record = (page: string, number?: string) => recordAction({ aidantId, applicantId, method: req.method, page, number });
      if (req.method !== "GET" && req.method !== "HEAD") recordBeforeRedirect(req, res, next, record);
      else recordDownloads(req, res, record);
      next();
    }, next);
  };
}

/**
 * The person's files (their documents, their receipt and attestation) are
 * sent with res.attachment: each one an aidant opens is written to the audit
 * log, as an agent's opening is. Page views are not: they would flood it.
 * The record is written as the file starts to leave; a failure to write it
 * is logged and does not withhold the person's own file.
 */
function recordDownloads(req: Request, res: Response, record: (page: string, number?: string) => Promise<void>): void {
  const attachment = res.attachment.bind(res);
  res.attachment = function attachmentRecorded(this: Response, filename?: string) {
    const [page, number] = routeOf(req);
    record(page, number).catch((error: unknown) => req.log.error({ err: error }, "journal : ouverture d'un fichier par un aidant non enregistrée"));
    return attachment(filename);
  };
}

/**
 * The route's pattern (never the URL, which may hold ids) and the request
 * number it names, if it is one: a mangled number (a NUL byte) would make
 * the audit entry fail to be written, and the form with it.
 */
function routeOf(req: Request): [page: string, number: string | undefined] {
  const route = req.route as { path?: unknown } | undefined;
  const page = typeof route?.path === "string" ? route.path : req.path;
  return [page, isRequestNumber(req.params.number) ? req.params.number : undefined];
}

/**
 * A form that succeeds redirects (post → redirect → get): the action is
 * written to the audit log before that redirect leaves, so the answer the
 * aidant sees never precedes its record.
 */
function recordBeforeRedirect(req: Request, res: Response, next: NextFunction, record: (page: string, number?: string) => Promise<void>): void {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = function redirectOnceRecorded(this: Response, ...args: unknown[]) {
    const [page, number] = routeOf(req);
    record(page, number).then(() => redirect(...args), next);
  };
}
