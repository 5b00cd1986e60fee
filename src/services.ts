/**
 * The services of every feature, built once in createApp from the one
 * context and handed to the routes: routes parse the request, call a
 * service, and render; only services (and what they call) query the
 * database.
 */
import type { AppContext } from "./context.js";
import { AdminService } from "./features/admin/admin-service.js";
import { UndeliveredMailService } from "./features/admin/undelivered-mail-service.js";
import { AgentRequestService } from "./features/agent/agent-request-service.js";
import { QueueService } from "./features/agent/queue-service.js";
import { AuditJournal } from "./features/audit/audit-journal.js";
import { InvitationService } from "./features/invitations/invitation-service.js";
import { AccountRequestService } from "./features/account/account-requests.js";
import { AccountService } from "./features/account/account-service.js";
import { DevMailboxService } from "./features/dev-mailbox/dev-mailbox-service.js";
import { PageService } from "./features/pages/page-service.js";
import { ProfileService } from "./features/profile/profile-service.js";
import { DocumentService } from "./features/documents/document-service.js";
import { MyRequestsService } from "./features/my-requests/my-requests-service.js";
import { DraftService } from "./features/request/draft-service.js";
import { MissingDocumentService } from "./features/request/missing-document-service.js";
import { ProofService } from "./features/proofs/proof-service.js";
import type { RetentionSettings } from "./features/retention/retention-config.js";
import { RetentionService } from "./features/retention/retention-service.js";
import { AccountDataService } from "./features/account-data/account-data-service.js";
import { AidantService } from "./features/aidants/aidant-service.js";
import { RenewalService } from "./features/renewals/renewal-service.js";
import { StatisticsService } from "./features/statistics/statistics-service.js";

export interface Services {
  context: AppContext;
  // Each feature adds its service here, e.g. `accounts: AccountService`.
  accounts: AccountService;
  accountRequests: AccountRequestService;
  profiles: ProfileService;
  pages: PageService;
  devMailbox: DevMailboxService;
  drafts: DraftService;
  documents: DocumentService;
  missingDocuments: MissingDocumentService;
  myRequests: MyRequestsService;
  queue: QueueService;
  agentRequests: AgentRequestService;
  invitations: InvitationService;
  admin: AdminService;
  auditJournal: AuditJournal;
  undeliveredMails: UndeliveredMailService;
  proofs: ProofService;
  retention: RetentionService;
  accountData: AccountDataService;
  aidants: AidantService;
  renewals: RenewalService;
  statistics: StatisticsService;
}

export function createServices(context: AppContext, retention: RetentionSettings): Services {
  const documents = new DocumentService(context);
  const pages = new PageService(context);
  return {
    context,
    accounts: new AccountService(context),
    accountRequests: new AccountRequestService(context),
    profiles: new ProfileService(context),
    pages,
    devMailbox: new DevMailboxService(context),
    drafts: new DraftService(context),
    documents,
    missingDocuments: new MissingDocumentService(context),
    myRequests: new MyRequestsService(context, documents),
    queue: new QueueService(context),
    agentRequests: new AgentRequestService(context),
    invitations: new InvitationService(context),
    admin: new AdminService(context, () => pages.referenceDataChanged()),
    auditJournal: new AuditJournal(context),
    undeliveredMails: new UndeliveredMailService(context),
    proofs: new ProofService(context),
    retention: new RetentionService(context, retention),
    accountData: new AccountDataService(context),
    aidants: new AidantService(context),
    renewals: new RenewalService(context),
    statistics: new StatisticsService(context),
  };
}
