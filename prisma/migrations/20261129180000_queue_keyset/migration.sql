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

-- The count of requests of each status but DRAFT, kept by triggers: the queue's landing page
-- shows it, and counting 500,000 rows on every page view would cost more than the page itself.
-- CreateTable
CREATE TABLE "RequestStatusCount" (
    "status" "RequestStatus" NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "RequestStatusCount_pkey" PRIMARY KEY ("status")
);

INSERT INTO "RequestStatusCount" ("status", "count")
SELECT s, (SELECT count(*) FROM "Request" WHERE "status" = s)
FROM unnest(enum_range(NULL::"RequestStatus")) AS s
WHERE s <> 'DRAFT';

-- Inserts and deletes: one trigger per statement (a bulk insert adds each status once).
-- Counters are updated in the enum's order, so that two transactions never wait on each
-- other's counters in opposite orders (no deadlock).
CREATE FUNCTION request_status_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  change record;
BEGIN
  FOR change IN SELECT "status", count(*) AS n FROM inserted WHERE "status" <> 'DRAFT' GROUP BY "status" ORDER BY "status" LOOP
    UPDATE "RequestStatusCount" SET "count" = "count" + change.n WHERE "status" = change."status";
  END LOOP;
  RETURN NULL;
END $$;

CREATE FUNCTION request_status_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  change record;
BEGIN
  FOR change IN SELECT "status", count(*) AS n FROM deleted WHERE "status" <> 'DRAFT' GROUP BY "status" ORDER BY "status" LOOP
    UPDATE "RequestStatusCount" SET "count" = "count" - change.n WHERE "status" = change."status";
  END LOOP;
  RETURN NULL;
END $$;

-- A change of status: one row at a time, and only when the status changed (the WHEN clause
-- keeps the wizard's saves, which never change it, free of any trigger call).
CREATE FUNCTION request_status_count_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."status" < NEW."status" THEN
    UPDATE "RequestStatusCount" SET "count" = "count" - 1 WHERE "status" = OLD."status";
    UPDATE "RequestStatusCount" SET "count" = "count" + 1 WHERE "status" = NEW."status";
  ELSE
    UPDATE "RequestStatusCount" SET "count" = "count" + 1 WHERE "status" = NEW."status";
    UPDATE "RequestStatusCount" SET "count" = "count" - 1 WHERE "status" = OLD."status";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER request_status_count_insert AFTER INSERT ON "Request"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION request_status_count_inserted();
CREATE TRIGGER request_status_count_delete AFTER DELETE ON "Request"
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION request_status_count_deleted();
CREATE TRIGGER request_status_count_update AFTER UPDATE OF "status" ON "Request"
  FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status") EXECUTE FUNCTION request_status_count_changed();
