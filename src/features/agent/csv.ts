/**
 * CSV for spreadsheet software: UTF-8 with a BOM (so that accents open
 * right), « ; » as separator (French Excel), every cell quoted, and cells
 * that a spreadsheet would run as a formula (= + - @, tab, carriage return)
 * neutralised with a leading apostrophe.
 */
export const CSV_BOM = "\uFEFF";
export const CSV_SEPARATOR = ";";

/** The first characters that make a spreadsheet run a cell: = + - @ tab and carriage return. */
const FORMULA_STARTS = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);

// Called for every cell of an export of 500,000 rows: no regular expression, and no replacement when there is no quote.
export function csvCell(value: string | number | null | undefined): string {
  let text = typeof value === "string" ? value : value === null || value === undefined ? "" : String(value);
  if (FORMULA_STARTS.has(text.charCodeAt(0))) text = `'${text}`;
  return `"${text.includes('"') ? text.replaceAll('"', '""') : text}"`;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(CSV_SEPARATOR)}\r\n`;
}
