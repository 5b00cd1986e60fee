/**
 * CSV for spreadsheet software: UTF-8 with a BOM (so that accents open
 * right), « ; » as separator (French Excel), every cell quoted, and cells
 * that a spreadsheet would run as a formula (= + - @, tab, carriage return)
 * neutralised with a leading apostrophe.
 */
export const CSV_BOM = "\uFEFF";
export const CSV_SEPARATOR = ";";

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(CSV_SEPARATOR)}\r\n`;
}
