-- « Me l'attribuer »: the agent handling a request, and since when. An agent's account deleted
-- leaves their requests to nobody (SET NULL), never blocks the deletion.
-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'ASSIGNED';
ALTER TYPE "AuditAction" ADD VALUE 'UNASSIGNED';

-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "assignedAgentId" UUID,
ADD COLUMN     "assignedAt" TIMESTAMP(3);

-- « Mes demandes » (assignedAgentId = the agent) and « à personne » (IS NULL) walk this index in the
-- queue's order (submittedAt, id, either direction) and check the other filters on its entries.
-- CreateIndex
CREATE INDEX "Request_assignedAgent_queue_idx" ON "Request"("assignedAgentId", "submittedAt", "id", "status", "zonageCode", "statutCode", "type");

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_assignedAgentId_fkey" FOREIGN KEY ("assignedAgentId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
