-- A registration or a reset asked for, recorded before the answer leaves: the
-- answer must not wait for the address to be looked up (its timing would tell
-- whether an account exists), yet what was acknowledged must survive a crash
-- or a database outage between the answer and the work.
CREATE TABLE "AccountRequest" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountRequest_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "AccountRequest_createdAt_idx" ON "AccountRequest"("createdAt");
