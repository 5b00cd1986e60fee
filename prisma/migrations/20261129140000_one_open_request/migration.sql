-- One open request per applicant: a request submitted and not yet validated,
-- refused or closed (src/domain/request-status.ts, OPEN_STATUSES). The portal
-- checks it first and says where the open one stands; this index keeps two
-- from ever being stored, whatever the code path. Drafts have their own index
-- (Request_one_draft_per_applicant); a renewal after a final answer is free.
CREATE UNIQUE INDEX "Request_one_open_per_applicant" ON "Request"("applicantId")
  WHERE "status" IN ('SUBMITTED', 'IN_REVIEW', 'AWAITING_DOCUMENT', 'DOCUMENT_RECEIVED');
