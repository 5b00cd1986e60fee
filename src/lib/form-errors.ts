import type { z } from "zod";

export interface FormErrors {
  /** Links of the error summary, in the order of the form's fields. */
  summary: { text: string; href: string }[];
  /** The message shown beside each field, by field name. */
  fields: Record<string, string>;
}

export const noErrors: FormErrors = { summary: [], fields: {} };

/** The id of a field's input: the error summary links to it. */
export function fieldId(name: string): string {
  return `champ-${name}`;
}

export function formErrors(entries: [field: string, message: string][]): FormErrors {
  const fields: Record<string, string> = {};
  for (const [field, message] of entries) {
    fields[field] ??= message;
  }
  return {
    summary: Object.entries(fields).map(([field, text]) => ({ text, href: `#${fieldId(field)}` })),
    fields,
  };
}

/** One message per field (the first zod reports), French messages living with each schema. */
export function formErrorsFromZod(error: z.ZodError, fieldOrder: readonly string[] = []): FormErrors {
  const entries = error.issues.map((issue): [string, string] => [String(issue.path[0] ?? "formulaire"), issue.message]);
  const rank = (field: string) => {
    const index = fieldOrder.indexOf(field);
    return index === -1 ? fieldOrder.length : index;
  };
  entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  return formErrors(entries);
}
