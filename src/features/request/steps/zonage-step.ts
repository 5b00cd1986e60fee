import { formatEuros, participationFor } from "../../../domain/participation.js";
import { formErrors } from "../../../lib/form-errors.js";
import { text, type WizardStep } from "../wizard-types.js";

export const zonageStep: WizardStep = {
  slug: "zonage",
  title: "Zonage",
  view: "request/steps/zonage",
  isApplicable: () => true,
  // For a first request the situation comes from the eligibility step.
  isStillComplete: ({ draft }) => Boolean(draft.statutCode && draft.zonageCode),
  formValues: ({ draft }) => ({ statutCode: draft.statutCode ?? "", zonageCode: draft.zonageCode ?? "" }),
  submit(body, ctx) {
    const problems: [string, string][] = [];
    const fromEligibility = ctx.draft.type === "FIRST";
    const statutCode = fromEligibility ? ctx.draft.statutCode : text(body, "statutCode");
    if (!ctx.statuts.some((statut) => statut.code === statutCode)) problems.push(["statutCode", "Indiquez votre statut."]);
    const zonageCode = text(body, "zonageCode");
    if (!ctx.zonages.some((zonage) => zonage.code === zonageCode)) problems.push(["zonageCode", "Choisissez le zonage."]);
    if (problems.length > 0) return { kind: "invalid", errors: formErrors(problems) };
    return { kind: "saved", data: { statut: { connect: { code: statutCode! } }, zonage: { connect: { code: zonageCode } } } };
  },
  locals: (ctx) => ({
    statuts: ctx.statuts,
    zonages: ctx.zonages.map((zonage) => ({ ...zonage, participation: formatEuros(zonage.yearlyParticipationCents) })),
    statutFromEligibility: ctx.draft.type === "FIRST" ? ctx.statuts.find((statut) => statut.code === ctx.draft.statutCode) ?? null : null,
    chosenParticipation: (() => {
      const cents = participationFor(ctx.zonages, ctx.draft.zonageCode);
      return cents === null ? null : formatEuros(cents);
    })(),
  }),
};
