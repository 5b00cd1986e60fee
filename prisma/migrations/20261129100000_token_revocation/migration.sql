-- CreateEnum
CREATE TYPE "TokenRevocation" AS ENUM ('REPLACED', 'CANCELLED');

-- AlterTable
ALTER TABLE "AccountToken" ADD COLUMN "revokedAt" TIMESTAMP(3),
ADD COLUMN "revokedBecause" "TokenRevocation";
