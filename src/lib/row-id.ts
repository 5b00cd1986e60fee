/**
 * Whether a value taken from a URL or a form can be the id of a row (a UUID).
 * Routes check it before querying, so that a mangled id is a 404 page and
 * never a database error about an invalid UUID.
 */
export function isRowId(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f-]{36}$/.test(value);
}
