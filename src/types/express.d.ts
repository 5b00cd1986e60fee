import type { Role } from "../generated/prisma/enums.js";

declare global {
  namespace Express {
    /** What passport puts on req.user: the logged-in person, loaded on every request. */
    interface User {
      id: string;
      email: string;
      firstName: string;
      lastName: string;
      role: Role;
    }
  }
}

declare module "express-session" {
  interface SessionData {
    /** One-shot message shown on the next page (post → redirect → get). */
    flash?: string;
    /** The page a logged-out person asked for, to return to after login. */
    returnTo?: string;
    /** A wizard step's fields posted after the session expired, shown again after login (src/features/request/expired-session.ts). */
    keptStepInput?: import("../features/request/expired-session.js").KeptStepInput;
    /** When the person logged in, by the app's clock (ms): the session's absolute lifetime counts from it. */
    loggedInAt?: number;
    /** The last page seen (ms, to the minute): the idle timeout counts from it. */
    lastSeenAt?: number;
    /** « Mémoriser mes informations ? » was ticked at login. */
    remembered?: boolean;
    /** The session just ended by its lifetime: the login page says so once. */
    sessionExpired?: boolean;
  }
}

export {};
