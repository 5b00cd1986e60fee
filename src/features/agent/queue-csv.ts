/** The lines of the queue's CSV export: its French header, and one line per request as the export's cursor reads it. */
import { personName } from "../../views/format.js";
import { REQUEST_TYPES } from "../../domain/request-types.js";
import { STATUS_LABELS } from "../status/request-status.js";
import { csvLine } from "./csv.js";
import type { CsvRow } from "./queue-service.js";

export const CSV_HEADER = csvLine([
  "Numéro de demande",
  "Déposée le",
  "Statut",
  "Type",
  "Situation",
  "Zonage",
  "Nom",
  "Prénom",
  "Courriel",
  "Code postal",
  "Ville",
  "Numéro de Passe Navigo",
  "Participation (€)",
  "Aidant",
  "Courriel aidant",
  "Attribuée à",
]);

function csvRow(row: CsvRow): string {
  const [
    number,
    submittedAt,
    status,
    type,
    statutCode,
    zonageLabel,
    lastName,
    firstName,
    email,
    postalCode,
    city,
    navigoNumber,
    participationCents,
    aidantName,
    aidantEmail,
    assignedFirstName,
    assignedLastName,
  ] = row;
  return csvLine([
    number,
    submittedAt,
    STATUS_LABELS[status],
    type ? REQUEST_TYPES[type] : "",
    statutCode,
    zonageLabel,
    lastName,
    firstName,
    email,
    postalCode,
    city,
    navigoNumber,
    participationCents === null ? "" : (participationCents / 100).toFixed(2).replace(".", ","),
    aidantName,
    aidantEmail,
    // « Prénom NOM », as the request's page writes it; empty when nobody has it.
    assignedLastName === null ? "" : personName({ firstName: assignedFirstName ?? "", lastName: assignedLastName }),
  ]);
}

/**
 * The lines in strings of about CHUNK_LENGTH characters: a few thousand writes
 * to the response rather than one per line, each string small enough for V8's
 * young generation. A string of a whole batch (2,000 lines, 360 kB) would be
 * allocated among large objects, kept until a full collection: +110 MB of
 * memory over an export of 500,000 requests.
 */
const CHUNK_LENGTH = 16_000;

export async function* csvChunks(batches: AsyncIterable<CsvRow[]>): AsyncGenerator<string> {
  let chunk = "";
  for await (const batch of batches) {
    for (const row of batch) {
      chunk += csvRow(row);
      if (chunk.length >= CHUNK_LENGTH) {
        yield chunk;
        chunk = "";
      }
    }
  }
  if (chunk) yield chunk;
}
