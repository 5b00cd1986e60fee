/**
 * The services of every feature, built once in createApp from the one
 * context and handed to the routes: routes parse the request, call a
 * service, and render; only services (and what they call) query the
 * database.
 */
import type { AppContext } from "./context.js";
import { DocumentService } from "./features/documents/document-service.js";
import { MyRequestsService } from "./features/my-requests/my-requests-service.js";
import { DraftService } from "./features/request/draft-service.js";

export interface Services {
  context: AppContext;
  // Each feature adds its service here, e.g. `accounts: AccountService`.
  drafts: DraftService;
  documents: DocumentService;
  myRequests: MyRequestsService;
}

export function createServices(context: AppContext): Services {
  const documents = new DocumentService(context);
  return {
    context,
    drafts: new DraftService(context),
    documents,
    myRequests: new MyRequestsService(context, documents),
  };
}
