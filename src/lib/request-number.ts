/**
 * A request's number as the portal gives it at submission: « DEM- » and ten
 * digits. Routes check a number taken from a URL before querying, so that a
 * mangled one (even a NUL byte, which PostgreSQL cannot read) is a 404 page
 * and never a database error.
 */
export const REQUEST_NUMBER = /^DEM-\d{10}$/;

export function isRequestNumber(value: unknown): value is string {
  return typeof value === "string" && REQUEST_NUMBER.test(value);
}
