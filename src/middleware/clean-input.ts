/**
 * Text typed in a form, or in a query string, without the characters no one
 * types: NUL and the other control characters (tab and line breaks kept), and
 * the bidi embeddings, overrides and isolates that make a name read backwards
 * on an agent's page. PostgreSQL refuses NUL in text (a 500 on
 * « city=Bob%00igny »), so they are removed here, once, for every form,
 * rather than refused: the person loses nothing of what they typed.
 */
import { parse } from "node:querystring";
import type { RequestHandler } from "express";

// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const UNTYPEABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

export function cleanText(value: string): string {
  return value.replace(UNTYPEABLE, "");
}

/** Flat values as the urlencoded and query parsers give them: strings, or arrays of strings for a repeated name. */
function cleanValues(values: Record<string, unknown>): Record<string, unknown> {
  // No prototype, as node:querystring gives: a field named « __proto__ » stays a field.
  const cleaned = Object.create(null) as Record<string, unknown>;
  for (const [name, value] of Object.entries(values)) {
    const key = cleanText(name);
    if (typeof value === "string") cleaned[key] = cleanText(value);
    else if (Array.isArray(value)) cleaned[key] = (value as unknown[]).map((item) => (typeof item === "string" ? cleanText(item) : item));
    else cleaned[key] = value;
  }
  return cleaned;
}

/** After express.urlencoded: the body's fields, cleaned. */
export const cleanFormBody: RequestHandler = (req, _res, next) => {
  if (req.body && typeof req.body === "object" && !Array.isArray(req.body)) req.body = cleanValues(req.body as Record<string, unknown>);
  next();
};

/** Express's « simple » query parser (node:querystring), with the values cleaned: app.set("query parser", cleanQueryParser). */
export function cleanQueryParser(query: string): Record<string, unknown> {
  return cleanValues({ ...parse(query) });
}
