import type { Request, Response } from "express";
import { z } from "zod";
import { formErrorsFromZod, noErrors, type FormErrors } from "./form-errors.js";

/** The submitted fields as strings, to show again what was typed. Passwords are never sent back. */
export function typedValues(req: Request, omit: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
    if (name === "_csrf" || omit.includes(name)) continue;
    if (typeof value === "string") values[name] = value;
  }
  return values;
}

export type ParseResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

export function parseForm<S extends z.ZodType>(schema: S, req: Request, fieldOrder: readonly string[] = []): ParseResult<z.infer<S>> {
  const result = schema.safeParse(req.body ?? {});
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: formErrorsFromZod(result.error, fieldOrder) };
}

/**
 * Renders a form page. With errors: status 422 (unless another is given),
 * the error summary, each message at its field, what was typed kept.
 */
export function renderForm(
  res: Response,
  view: string,
  locals: { title: string; values?: Record<string, string>; errors?: FormErrors; status?: number; [key: string]: unknown },
): void {
  const errors = locals.errors ?? noErrors;
  const status = locals.status ?? (errors.summary.length > 0 ? 422 : 200);
  res.status(status).render(view, { values: {}, ...locals, errors });
}

/** A submitted field (body or query string) as trimmed text: "" when absent, or repeated by a crafted request. */
export function fieldText(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** A form field read as text, absent or not ("" then): the schema piece every form's optional text starts from. */
export const textField = z.unknown().optional().transform(fieldText);
