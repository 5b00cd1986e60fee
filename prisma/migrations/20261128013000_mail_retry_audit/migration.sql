-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'MAIL_RETRIED';
