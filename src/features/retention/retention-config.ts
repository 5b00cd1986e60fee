/**
 * How long personal data is kept: the environment variables (read by
 * src/config.ts), their defaults, and the settings the retention job, the
 * account pages and « Données personnelles » read. Changing a period here
 * changes what the page says.
 */
import { z } from "zod";

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const months = (fallback: number) => z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(240).default(fallback));

/** Part of the environment schema of src/config.ts. */
export const retentionEnvironment = {
  /** A draft nobody touched for this long is deleted. */
  RETENTION_DRAFT_MONTHS: months(12),
  /**
   * The documents of a finished request, counted from the decision. 24 months:
   * the forfait is granted for a year, a decision can be challenged for two
   * months after it, and the next year's renewal is checked against the
   * previous file; past that the pieces serve no purpose the Département can
   * defend. The request itself and its history stay (the decision and the
   * amount paid are public accounts).
   */
  RETENTION_DOCUMENT_MONTHS: months(24),
  /** An applicant's account with no activity for this long is deleted (3 years, the CNIL's usual reference for an inactive account). */
  RETENTION_ACCOUNT_MONTHS: months(36),
  /** The warning mail before a draft or an account is deleted. */
  RETENTION_WARNING_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(365).default(30)),
  /** The data protection officer, named on « Données personnelles ». */
  DPO_EMAIL: z.preprocess(emptyAsUndefined, z.email("DPO_EMAIL doit être une adresse e-mail").default("dpo@seinesaintdenis.fr")),
};

export interface RetentionSettings {
  draftMonths: number;
  documentMonths: number;
  accountMonths: number;
  warningDays: number;
  dpoEmail: string;
}

export function retentionSettings(values: {
  RETENTION_DRAFT_MONTHS: number;
  RETENTION_DOCUMENT_MONTHS: number;
  RETENTION_ACCOUNT_MONTHS: number;
  RETENTION_WARNING_DAYS: number;
  DPO_EMAIL: string;
}): RetentionSettings {
  return {
    draftMonths: values.RETENTION_DRAFT_MONTHS,
    documentMonths: values.RETENTION_DOCUMENT_MONTHS,
    accountMonths: values.RETENTION_ACCOUNT_MONTHS,
    warningDays: values.RETENTION_WARNING_DAYS,
    dpoEmail: values.DPO_EMAIL,
  };
}

/** « 12 mois », « 3 ans », « 30 mois »: a period as the pages and mails state it. */
export function periodText(monthsCount: number): string {
  if (monthsCount % 12 === 0) return monthsCount === 12 ? "1 an" : `${monthsCount / 12} ans`;
  return `${monthsCount} mois`;
}

/** What « Données personnelles » and the account pages say about retention. */
export function dataProtectionFacts(settings: RetentionSettings) {
  return {
    drafts: periodText(settings.draftMonths),
    documents: periodText(settings.documentMonths),
    accounts: periodText(settings.accountMonths),
    warningDays: settings.warningDays,
    dpoEmail: settings.dpoEmail,
  };
}
