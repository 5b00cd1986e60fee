-- « Je ne peux pas fournir ce document »: one declaration per request and section.
CREATE TABLE "MissingDocument" (
    "id" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "section" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "details" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MissingDocument_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "MissingDocument_requestId_section_key" ON "MissingDocument"("requestId", "section");

ALTER TABLE "MissingDocument" ADD CONSTRAINT "MissingDocument_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;
