/**
 * The accessibility statement says what the audit grid says: it reads
 * docs/rgaa/ (the grid, one line per RGAA 4.1 criterion, and the page
 * sample), so that the rate a person reads on /accessibilite is the one they
 * can recount from the repository, and the next audit only edits the grid.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";

/** The day of the audit the grid records (docs/rgaa/README.md). Change it with the grid. */
export const AUDIT_DATE = "29 novembre 2026";

export interface AuditSummary {
  date: string;
  conforming: number;
  nonConforming: number;
  notApplicable: number;
  /** C / (C + NC), as RGAA computes it, e.g. « 100 % » or « 96,77 % ». */
  rate: string;
  failures: { criterion: string; title: string; pages: string; explanation: string }[];
  sample: { code: string; name: string }[];
}

/** One line of the grid, by its column names. */
const gridRows = z.array(
  z.object({
    critere: z.string(),
    intitule: z.string(),
    statut: z.string(),
    pages_concernees: z.string(),
    justification: z.string(),
  }),
);

export function readAuditSummary(root: string): AuditSummary {
  const rows = gridRows.parse(
    parse(readFileSync(path.join(root, "docs/rgaa/grille-rgaa-4.1.csv"), "utf8"), { columns: true, delimiter: ";", skip_empty_lines: true }),
  );
  const count = (status: string) => rows.filter((row) => row.statut === status).length;
  const conforming = count("C");
  const nonConforming = count("NC");
  const applicable = conforming + nonConforming;
  const percent = applicable === 0 ? 100 : (conforming / applicable) * 100;
  const rate = `${Number.isInteger(percent) ? percent : percent.toFixed(2).replace(".", ",")} %`;
  const sampleText = readFileSync(path.join(root, "docs/rgaa/echantillon.md"), "utf8");
  const sample = [...sampleText.matchAll(/^\| (P\d\d) \| ([^|]+) \|/gm)].map((match) => ({ code: match[1]!, name: match[2]!.trim() }));
  return {
    date: AUDIT_DATE,
    conforming,
    nonConforming,
    notApplicable: count("NA"),
    rate,
    failures: rows
      .filter((row) => row.statut === "NC")
      .map((row) => ({ criterion: row.critere, title: row.intitule, pages: row.pages_concernees, explanation: row.justification })),
    sample,
  };
}
