/**
 * What the form control partials (views/partials/form/) compute: which
 * paragraphs describe a control. The ids follow one pattern, so that the
 * error summary's links (#champ-name) and the aria attributes always agree.
 */
export interface Description {
  /** The control's hint is shown (its paragraph has the id `${id}-hint`). */
  hint?: unknown;
  /** More ids that describe it, e.g. the password rule shown above the form. */
  extra?: string | null | undefined;
  /** The control's error is shown (`${id}-error`). */
  error?: unknown;
}

/** The aria-describedby of a control: hint, extra ids, then error; "" when nothing describes it. */
export function describedBy(id: string, description: Description): string {
  return [description.hint ? `${id}-hint` : null, description.extra || null, description.error ? `${id}-error` : null].filter(Boolean).join(" ");
}
