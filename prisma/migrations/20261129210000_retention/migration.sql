-- Retention and the person's rights (RGPD): what « activity » is read from,
-- deleted accounts kept only as an empty row under their finished requests,
-- audit entries written by the portal itself (no actor), and the warnings
-- sent before a deletion.
ALTER TABLE "User" ADD COLUMN "lastLoginAt" TIMESTAMP(3);
ALTER TABLE "User" ADD COLUMN "deletedAt" TIMESTAMP(3);

ALTER TABLE "AuditLog" ALTER COLUMN "actorId" DROP NOT NULL;

ALTER TYPE "AuditAction" ADD VALUE 'ACCOUNT_DELETED';
ALTER TYPE "AuditAction" ADD VALUE 'RETENTION_DRAFTS_DELETED';
ALTER TYPE "AuditAction" ADD VALUE 'RETENTION_DOCUMENTS_DELETED';
ALTER TYPE "AuditAction" ADD VALUE 'RETENTION_ACCOUNTS_DELETED';

CREATE TYPE "RetentionNoticeKind" AS ENUM ('DRAFT', 'ACCOUNT');

CREATE TABLE "RetentionNotice" (
    "id" UUID NOT NULL,
    "kind" "RetentionNoticeKind" NOT NULL,
    "subjectId" UUID NOT NULL,
    "deadline" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RetentionNotice_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "RetentionNotice_kind_subjectId_deadline_key" ON "RetentionNotice"("kind", "subjectId", "deadline");
