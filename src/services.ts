/**
 * The services of every feature, built once in createApp from the one
 * context and handed to the routes: routes parse the request, call a
 * service, and render; only services (and what they call) query the
 * database.
 */
import type { AppContext } from "./context.js";

export interface Services {
  context: AppContext;
  // Each feature adds its service here, e.g. `accounts: AccountService`.
}

export function createServices(context: AppContext): Services {
  return { context };
}
