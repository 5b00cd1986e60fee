-- The queue's keyset pagination and CSV export walk (submittedAt, id): with the id in
-- the index, a page after a cursor is one index range scan, however deep.
-- DropIndex
DROP INDEX "Request_status_submittedAt_idx";

-- DropIndex
DROP INDEX "Request_submittedAt_idx";

-- CreateIndex
CREATE INDEX "Request_status_submittedAt_id_idx" ON "Request"("status", "submittedAt", "id");

-- CreateIndex
CREATE INDEX "Request_submittedAt_id_idx" ON "Request"("submittedAt", "id");
