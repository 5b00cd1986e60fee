-- The queue's two walking indexes carry the filter columns after their sort key (submittedAt, id):
-- a page or a capped count of « statut + zonage », « type + situation + dates »… walks the index in
-- the queue's order and checks each filter on the index entry, without reading the row first.
-- DropIndex
DROP INDEX "Request_status_submittedAt_id_idx";

-- DropIndex
DROP INDEX "Request_submittedAt_id_idx";

-- CreateIndex
CREATE INDEX "Request_status_submittedAt_id_zonageCode_statutCode_type_idx" ON "Request"("status", "submittedAt", "id", "zonageCode", "statutCode", "type");

-- CreateIndex
CREATE INDEX "Request_submittedAt_id_status_zonageCode_statutCode_type_idx" ON "Request"("submittedAt", "id", "status", "zonageCode", "statutCode", "type");
