-- The verification codes of the PDF proofs (récépissé de dépôt, attestation de
-- droit): one per request and kind, unique across all, checked at /verifier.
CREATE TYPE "ProofKind" AS ENUM ('RECEIPT', 'ATTESTATION');

CREATE TABLE "ProofCode" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "kind" "ProofKind" NOT NULL,
    "code" TEXT NOT NULL,
    "validFrom" DATE,
    "validUntil" DATE,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProofCode_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "ProofCode_code_key" ON "ProofCode"("code");
CREATE UNIQUE INDEX "ProofCode_requestId_kind_key" ON "ProofCode"("requestId", "kind");

ALTER TABLE "ProofCode" ADD CONSTRAINT "ProofCode_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;
