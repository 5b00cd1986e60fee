/**
 * The query string of a page's filters (the agents' queue, the audit log),
 * for pagination links and the CSV export: empty filters are left out.
 */
export function filtersQuery(values: Record<string, string>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...values, ...extra })) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}
