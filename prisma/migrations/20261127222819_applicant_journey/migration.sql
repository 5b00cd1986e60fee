-- CreateEnum
CREATE TYPE "Civility" AS ENUM ('MADAME', 'MONSIEUR');

-- CreateEnum
CREATE TYPE "RequestType" AS ENUM ('FIRST', 'RENEWAL');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'AWAITING_DOCUMENT', 'DOCUMENT_RECEIVED', 'APPROVED', 'REFUSED', 'CLOSED');

-- AlterEnum
ALTER TYPE "TokenPurpose" ADD VALUE 'CHANGE_EMAIL';

-- AlterTable
ALTER TABLE "AccountToken" ADD COLUMN     "newEmail" TEXT;

-- CreateTable
CREATE TABLE "Profile" (
    "userId" UUID NOT NULL,
    "civility" "Civility",
    "familySituation" TEXT,
    "birthName" TEXT,
    "birthDate" DATE,
    "birthDateUnknown" BOOLEAN NOT NULL DEFAULT false,
    "street" TEXT,
    "addressLine2" TEXT,
    "addressLine3" TEXT,
    "postalCode" TEXT,
    "city" TEXT,
    "mobilePhone" TEXT,
    "landlinePhone" TEXT,
    "protectionMeasure" BOOLEAN,
    "protectionType" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Profile_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "Statut" (
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "minimumAge" INTEGER,
    "mustBeNonTaxable" BOOLEAN NOT NULL,
    "situationDocument" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL,

    CONSTRAINT "Statut_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Zonage" (
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "yearlyParticipationCents" INTEGER NOT NULL,
    "sortOrder" INTEGER NOT NULL,

    CONSTRAINT "Zonage_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Request" (
    "id" UUID NOT NULL,
    "applicantId" UUID NOT NULL,
    "number" TEXT,
    "status" "RequestStatus" NOT NULL DEFAULT 'DRAFT',
    "termsAcceptedAt" TIMESTAMP(3) NOT NULL,
    "termsVersion" TEXT NOT NULL,
    "completedSteps" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "pendingInput" JSONB,
    "type" "RequestType",
    "eligibility" JSONB,
    "navigoNumber" TEXT,
    "statutCode" TEXT,
    "zonageCode" TEXT,
    "participationCents" INTEGER,
    "referenceTaxIncome" INTEGER,
    "taxShares" DECIMAL(4,2),
    "aidantName" TEXT,
    "aidantEmail" TEXT,
    "directDebit" BOOLEAN,
    "ibanEncrypted" TEXT,
    "ibanLast4" TEXT,
    "bic" TEXT,
    "accountHolder" TEXT,
    "debitConsent" BOOLEAN NOT NULL DEFAULT false,
    "satisfaction" TEXT,
    "satisfactionComment" TEXT,
    "profileSnapshot" JSONB,
    "submittedAt" TIMESTAMP(3),
    "validFrom" DATE,
    "validUntil" DATE,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequestDocument" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "section" TEXT NOT NULL,
    "originalName" TEXT NOT NULL,
    "storedName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RequestDocument_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatusChange" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "fromStatus" "RequestStatus",
    "toStatus" "RequestStatus" NOT NULL,
    "actorId" UUID,
    "message" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Request_number_key" ON "Request"("number");

-- CreateIndex
CREATE INDEX "Request_applicantId_status_idx" ON "Request"("applicantId", "status");

-- CreateIndex
CREATE INDEX "Request_status_submittedAt_idx" ON "Request"("status", "submittedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RequestDocument_storedName_key" ON "RequestDocument"("storedName");

-- CreateIndex
CREATE INDEX "RequestDocument_requestId_section_idx" ON "RequestDocument"("requestId", "section");

-- CreateIndex
CREATE INDEX "StatusChange_requestId_createdAt_idx" ON "StatusChange"("requestId", "createdAt");

-- AddForeignKey
ALTER TABLE "Profile" ADD CONSTRAINT "Profile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_applicantId_fkey" FOREIGN KEY ("applicantId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_statutCode_fkey" FOREIGN KEY ("statutCode") REFERENCES "Statut"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_zonageCode_fkey" FOREIGN KEY ("zonageCode") REFERENCES "Zonage"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestDocument" ADD CONSTRAINT "RequestDocument_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatusChange" ADD CONSTRAINT "StatusChange_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatusChange" ADD CONSTRAINT "StatusChange_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- One draft per applicant: opening « Créer ou compléter ma demande » again
-- resumes it instead of creating a duplicate.
CREATE UNIQUE INDEX "Request_one_draft_per_applicant" ON "Request"("applicantId") WHERE "status" = 'DRAFT';

-- Request numbers (DEM- and 10 digits), given at submission.
CREATE SEQUENCE "request_number_seq" START WITH 10001;

-- Reference data: the department's published rules. Administrators edit the
-- figures later: these are the defaults.
INSERT INTO "Statut" ("code", "label", "minimumAge", "mustBeNonTaxable", "situationDocument", "sortOrder") VALUES
  ('PA', 'Personne âgée', 60, true, 'Titre de pension de retraite', 1),
  ('AH', 'Personne handicapée', NULL, true, 'Carte d''invalidité, ou notification de l''AAH ou de la pension d''invalidité', 2),
  ('AC', 'Ancien combattant', 65, false, 'Carte du combattant', 3),
  ('VG', 'Veuve de guerre', 65, false, 'Titre de pension de veuve de guerre', 4);

INSERT INTO "Zonage" ("code", "label", "yearlyParticipationCents", "sortOrder") VALUES
  ('Z1_5', 'Zones 1 à 5', 4200, 1),
  ('Z2_5', 'Zones 2 à 5', 3000, 2),
  ('Z3_5', 'Zones 3 à 5', 2400, 3);
