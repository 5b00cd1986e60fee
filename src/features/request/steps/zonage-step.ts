import { formatEuros, participationFor } from "../../../domain/participation.js";
import { formErrors } from "../../../lib/form-errors.js";
import { defineStep, NO_ANSWER, textForm } from "../wizard-types.js";

export const zonageStep = defineStep({
  slug: "zonage",
  title: "Zonage",
  view: "request/steps/zonage",
  isApplicable: () => true,
  // For a first request the situation comes from the eligibility step.
  isStillComplete: ({ draft }) => Boolean(draft.statutCode && draft.zonageCode),
  formValues: ({ draft }) => ({ statutCode: draft.statutCode ?? "", zonageCode: draft.zonageCode ?? "" }),
  form: textForm(["statutCode", "zonageCode"]),
  submit(form, ctx) {
    const problems: [string, string][] = [];
    const fromEligibility = ctx.draft.type === "FIRST";
    const statutCode = fromEligibility ? ctx.draft.statutCode : form.statutCode;
    if (!ctx.statuts.some((statut) => statut.code === statutCode)) problems.push(["statutCode", "Indiquez votre statut."]);
    const { zonageCode } = form;
    if (!ctx.zonages.some((zonage) => zonage.code === zonageCode)) problems.push(["zonageCode", "Choisissez le zonage."]);
    if (problems.length > 0 || !statutCode) return { kind: "invalid", errors: formErrors(problems) };
    return { kind: "saved", data: { statut: { connect: { code: statutCode } }, zonage: { connect: { code: zonageCode } } } };
  },
  locals: (ctx) => ({
    statuts: ctx.statuts,
    zonages: ctx.zonages.map((zonage) => ({ ...zonage, participation: formatEuros(zonage.yearlyParticipationCents) })),
    statutFromEligibility: ctx.draft.type === "FIRST" ? (ctx.statuts.find((statut) => statut.code === ctx.draft.statutCode) ?? null) : null,
    chosenParticipation: (() => {
      const cents = participationFor(ctx.zonages, ctx.draft.zonageCode);
      return cents === null ? null : formatEuros(cents);
    })(),
  }),
  answers(request, { statuts, zonages }) {
    const statut = statuts.find((candidate) => candidate.code === request.statutCode);
    const zonage = zonages.find((candidate) => candidate.code === request.zonageCode);
    // Frozen at submission; a draft shows the current amount.
    const participation = request.participationCents ?? participationFor(zonages, request.zonageCode);
    return {
      title: "Zonage",
      slug: "zonage",
      items: [
        { label: "Situation", value: statut ? `${statut.code} - ${statut.label}` : NO_ANSWER },
        { label: "Zonage", value: zonage?.label ?? NO_ANSWER },
        { label: "Participation annuelle", value: participation === null ? NO_ANSWER : formatEuros(participation) },
      ],
    };
  },
});
