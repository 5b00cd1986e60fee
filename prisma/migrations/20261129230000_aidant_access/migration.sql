-- « Mon aidant »: an aidant with a login of their own acts for an applicant.
ALTER TYPE "AuditAction" ADD VALUE 'AIDANT_ACCESS_GRANTED';
ALTER TYPE "AuditAction" ADD VALUE 'AIDANT_ACCESS_ENDED';
ALTER TYPE "AuditAction" ADD VALUE 'AIDANT_ACTION';

CREATE TABLE "AidantAccess" (
    "id" UUID NOT NULL,
    "applicantId" UUID NOT NULL,
    "aidantId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "AidantAccess_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AidantInvitation" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "applicantId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AidantInvitation_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "AidantAccess_applicantId_endedAt_idx" ON "AidantAccess"("applicantId", "endedAt");
CREATE INDEX "AidantAccess_aidantId_endedAt_idx" ON "AidantAccess"("aidantId", "endedAt");
CREATE UNIQUE INDEX "AidantInvitation_tokenHash_key" ON "AidantInvitation"("tokenHash");
CREATE INDEX "AidantInvitation_applicantId_usedAt_idx" ON "AidantInvitation"("applicantId", "usedAt");

-- One open access per applicant and aidant, whatever the code path (two
-- invitations accepted at once); ended accesses stay as the trace.
CREATE UNIQUE INDEX "AidantAccess_one_open_per_pair" ON "AidantAccess"("applicantId", "aidantId") WHERE "endedAt" IS NULL;

-- Access ends by itself with either account: deleting a user deletes its accesses and invitations.
ALTER TABLE "AidantAccess" ADD CONSTRAINT "AidantAccess_applicantId_fkey" FOREIGN KEY ("applicantId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AidantAccess" ADD CONSTRAINT "AidantAccess_aidantId_fkey" FOREIGN KEY ("aidantId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AidantInvitation" ADD CONSTRAINT "AidantInvitation_applicantId_fkey" FOREIGN KEY ("applicantId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
