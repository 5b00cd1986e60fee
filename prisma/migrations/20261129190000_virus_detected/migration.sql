-- An uploaded file refused by the antivirus is recorded in the audit log.
ALTER TYPE "AuditAction" ADD VALUE 'VIRUS_DETECTED';
