/** « A, B ou C »: a list as a French sentence says it. */
export function frenchList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ou ${items.at(-1)!}`;
}
