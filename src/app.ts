/**
 * createApp(deps): the Express application, built from its dependencies. It
 * reads no environment variable and starts nothing: src/server.ts does that,
 * and tests build it with real parts pointed at test resources.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Express } from "express";
import type pg from "pg";
import type { AppConfig } from "./config.js";
import type { Database } from "./db/prisma.js";
import { AfterResponse } from "./lib/after-response.js";
import type { Clock } from "./lib/clock.js";
import { configurePassport } from "./middleware/auth.js";
import { cleanFormBody, cleanQueryParser } from "./middleware/clean-input.js";
import { csrfErrorHandler, csrfProtectionUnlessUpload, csrfTokenForViews } from "./middleware/csrf.js";
import { errorHandler, notFoundHandler } from "./middleware/errors.js";
import { defaultThrottleRules, Throttle, type ThrottleRules } from "./middleware/rate-limit.js";
import { noStore } from "./middleware/no-store.js";
import { compressAnswers, noteCsrfTokenUse } from "./middleware/compress.js";
import { staticFiles } from "./middleware/static-files.js";
import { buildAssetManifest } from "./views/assets.js";
import { requestLog } from "./middleware/request-log.js";
import { logger as processLogger, type Logger } from "./logger.js";
import { securityHeaders } from "./middleware/security.js";
import { saveSessionBeforeRedirect, sessionLifetime, sessionMiddleware } from "./middleware/session.js";
import { viewDefaults, viewLocals } from "./middleware/view-locals.js";
import { ejsWithLayout } from "./views/layout-engine.js";
import { loginRoutes } from "./features/account/login-routes.js";
import { passwordRoutes } from "./features/account/password-routes.js";
import { registrationRoutes } from "./features/account/registration-routes.js";
import { devMailboxRoutes } from "./features/dev-mailbox/dev-mailbox-routes.js";
import { healthRoutes } from "./features/pages/health-routes.js";
import { pageRoutes } from "./features/pages/page-routes.js";
import { anonymousPages } from "./features/pages/anonymous-pages.js";
import { readAuditSummary } from "./features/pages/accessibility-audit.js";
import { documentRoutes } from "./features/documents/document-routes.js";
import type { DocumentStorage } from "./features/documents/document-storage.js";
import { antivirusFor, unscannedAntivirus, type Antivirus } from "./features/documents/antivirus.js";
import { myRequestsRoutes } from "./features/my-requests/my-requests-routes.js";
import { renewalRoutes } from "./features/renewals/renewal-routes.js";
import { profileRoutes } from "./features/profile/profile-routes.js";
import { wizardRoutes } from "./features/request/wizard-routes.js";
import { agentRoutes } from "./features/agent/agent-routes.js";
import { adminRoutes } from "./features/admin/admin-routes.js";
import { accountDataRoutes } from "./features/account-data/account-data-routes.js";
import { dataProtectionFacts } from "./features/retention/retention-config.js";
import { draftDocumentRoutes } from "./features/request/draft-document-routes.js";
import { missingDocumentRoutes } from "./features/request/missing-document-routes.js";
import { createServices } from "./services.js";
import { publicInvitationRoutes } from "./features/invitations/invitation-routes.js";
import { proofRoutes } from "./features/proofs/proof-routes.js";
import { FieldCipher } from "./lib/encryption.js";
import { keepInputOfExpiredForm, keepInputOfExpiredSession } from "./features/request/expired-session.js";
import type { SlowDown } from "./features/account/login-routes.js";
import { idleWarningLocals, keepAliveRoutes } from "./middleware/idle-warning.js";
import { actingForMiddleware } from "./middleware/acting-for.js";
import { aidantRoutes } from "./features/aidants/aidant-routes.js";
import { statisticsRoutes } from "./features/statistics/statistics-routes.js";

export interface AppDependencies {
  config: AppConfig & { sessionSecret: string; ibanEncryptionKey: string };
  db: Database;
  /** The pg pool shared by the session store and the throttles. */
  pool: pg.Pool;
  clock: Clock;
  /** Where the applicants' documents live (uploads/, never served statically). */
  storage: DocumentStorage;
  /** Scans uploads; by default the one CLAMAV_URL names (src/server.ts builds it before anything else starts). */
  antivirus?: Antivirus;
  throttleRules?: ThrottleRules;
  /** Work done once the answer has left (mails whose timing must not tell whether an account exists). */
  afterResponse?: AfterResponse;
  /** The wait before answering a failed login (the real one by default; tests give one that does not wait). */
  loginSlowDown?: SlowDown;
  /** Where requests log (the process's logger unless a test captures the lines). */
  logger?: Logger;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..").replace(/[/\\]dist$/, "");

export function createApp(deps: AppDependencies): Express {
  const { config, db, pool, clock, storage } = deps;
  const rules = deps.throttleRules ?? defaultThrottleRules;
  const afterResponse = deps.afterResponse ?? new AfterResponse();
  // src/server.ts refuses a production start without CLAMAV_URL; an app built elsewhere (tests, scripts) without it does not scan.
  const antivirus = deps.antivirus ?? (config.clamav ? antivirusFor(config) : unscannedAntivirus);
  const services = createServices(
    { db, pool, clock, publicUrl: config.publicUrl, cipher: new FieldCipher(config.ibanEncryptionKey), storage, antivirus },
    config.retention,
  );
  const app = express();

  app.engine("ejs", ejsWithLayout(path.join(root, "views", "layout.ejs")));
  app.set("view engine", "ejs");
  app.set("views", path.join(root, "views"));
  // Templates are read and compiled once, in every environment (`npm run dev` restarts when one changes).
  app.enable("view cache");
  app.set("trust proxy", config.trustProxy ? 1 : false);
  app.disable("x-powered-by");
  // What the layout needs even on a page rendered before the session exists (a 400 from the body parser).
  Object.assign(app.locals, viewDefaults);
  const assets = buildAssetManifest(path.join(root, "public"));
  // `asset("/css/portail.css")`: the fingerprinted URL the pages link to.
  app.locals.asset = assets.asset;
  // « Données personnelles » states the configured periods and the DPO (rendered once for anonymous visitors too).
  app.locals.dataProtection = dataProtectionFacts(config.retention);

  app.use(securityHeaders());
  app.use(requestLog({ logger: deps.logger ?? processLogger, trustProxy: config.trustProxy, logRequests: config.logRequests }));
  app.use(compressAnswers());
  app.use(staticFiles(assets));
  app.use(noStore);
  app.use(healthRoutes(services.pages));
  const statement = { audit: readAuditSummary(root), contact: config.contact, publicUrl: config.publicUrl };
  // Public pages for a visitor without a session cookie: no session, login or CSRF work (they have none to do).
  app.use(anonymousPages(services.pages, statement));

  app.set("query parser", cleanQueryParser);
  app.use(express.urlencoded({ extended: false, limit: "100kb", parameterLimit: 200 }));
  app.use(cleanFormBody);
  app.use(sessionMiddleware({ pool, secret: config.sessionSecret, secure: config.secureCookies }));
  app.use(saveSessionBeforeRedirect);
  const passport = configurePassport(services.accounts);
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(sessionLifetime(clock));
  // Before the CSRF check, so that its 403 page has what the layout needs.
  app.use(csrfTokenForViews);
  // An answer holding the token is not compressed (BREACH, src/middleware/compress.ts).
  app.use(noteCsrfTokenUse);
  app.use(viewLocals);
  // « Agir pour … »: whom the applicant pages work on, checked against an open access on every request.
  app.use(
    actingForMiddleware(
      (aidantId, applicantId) => services.aidants.findActingFor(aidantId, applicantId),
      (action) => services.aidants.recordAction(action),
    ),
  );
  app.use(idleWarningLocals);
  // A wizard step posted after the idle logout keeps its fields for after login, instead of failing the CSRF check.
  app.use(keepInputOfExpiredSession);
  app.use(csrfProtectionUnlessUpload);

  app.use(pageRoutes(services.pages, statement));
  app.use(keepAliveRoutes());
  app.use(registrationRoutes(services, new Throttle(pool, "registration-ip", rules.registrationPerIp), afterResponse));
  app.use(
    loginRoutes({
      services,
      carryOver: (req, previous, userId) => services.drafts.carryKeptInput(req, previous.keptStepInput, userId),
      passport,
      throttles: { perAccount: new Throttle(pool, "login-account", rules.loginPerAccount), perIp: new Throttle(pool, "login-ip", rules.loginPerIp) },
      afterResponse,
      slowDown: deps.loginSlowDown,
    }),
  );
  // One count for every check of the current password (« Changer le mot de passe », a new e-mail address).
  const passwordCheck = new Throttle(pool, "password-check", rules.passwordCheckPerAccount);
  app.use(
    passwordRoutes(
      services,
      {
        resetPerAddress: new Throttle(pool, "reset-address", rules.resetPerAddress),
        resetPerIp: new Throttle(pool, "reset-ip", rules.resetPerIp),
        passwordCheck,
      },
      afterResponse,
    ),
  );
  app.use(profileRoutes(services, passwordCheck));
  app.use(accountDataRoutes(services, passwordCheck));
  app.use(wizardRoutes(services));
  app.use(draftDocumentRoutes(services));
  app.use(missingDocumentRoutes(services));
  app.use(documentRoutes(services));
  app.use(proofRoutes(services, new Throttle(pool, "verification-ip", rules.verificationPerIp)));
  app.use(myRequestsRoutes(services));
  app.use(aidantRoutes(services));
  app.use(renewalRoutes(services));
  app.use(publicInvitationRoutes(services.invitations, new Throttle(pool, "invitation-ip", rules.invitationPerIp)));
  app.use(agentRoutes(services, storage));
  app.use(adminRoutes(services));
  app.use(statisticsRoutes(services));
  if (!config.smtpUrl && config.env !== "production") app.use(devMailboxRoutes(services.devMailbox));

  app.use(notFoundHandler);
  app.use(keepInputOfExpiredForm);
  app.use(csrfErrorHandler);
  app.use(errorHandler);
  return app;
}
