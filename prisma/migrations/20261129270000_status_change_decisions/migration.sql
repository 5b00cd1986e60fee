-- « Statistiques » and the confirmation page's delay read the decisions of the last 12 months
-- (changes to APPROVED or REFUSED in a date range) and which requests waited for a document
-- (changes to AWAITING_DOCUMENT). Without this index both read the whole StatusChange table
-- (1.4 million rows for 500,000 requests, bench:statistics) to keep 3 % of it; with it, each is a
-- range of an index-only scan, the request's id being in the index.
-- CreateIndex
CREATE INDEX "StatusChange_toStatus_createdAt_requestId_idx" ON "StatusChange"("toStatus", "createdAt", "requestId");
