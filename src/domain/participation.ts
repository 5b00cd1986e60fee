/** The yearly participation left to the applicant, shown in euros the French way. */
export function formatEuros(cents: number): string {
  const euros = cents / 100;
  const text = Number.isInteger(euros) ? String(euros) : euros.toFixed(2).replace(".", ",");
  return `${text} €`;
}

export interface ZonageOption {
  code: string;
  label: string;
  yearlyParticipationCents: number;
}

export function participationFor(zonages: ZonageOption[], zonageCode: string | null | undefined): number | null {
  return zonages.find((zonage) => zonage.code === zonageCode)?.yearlyParticipationCents ?? null;
}
