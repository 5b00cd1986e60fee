-- Renewals: the reminders sent before « Droit valable au » (one per request
-- and kind, so that no day's run mails twice), and the mark of documents
-- copied from the previous request by « Renouveler ».
CREATE TABLE "RenewalReminder" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RenewalReminder_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "RenewalReminder_requestId_kind_key" ON "RenewalReminder"("requestId", "kind");

ALTER TABLE "RenewalReminder" ADD CONSTRAINT "RenewalReminder_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "RequestDocument" ADD COLUMN "reused" BOOLEAN NOT NULL DEFAULT false;
