import { z } from "zod";
import { REQUEST_TYPES } from "../../../domain/request-types.js";
import { defineStep, NO_ANSWER } from "../wizard-types.js";

export const typeStep = defineStep({
  slug: "type",
  title: "Type de demande",
  view: "request/steps/type",
  isApplicable: () => true,
  formValues: ({ draft }) => ({ type: draft.type ?? "" }),
  form: z.object({
    type: z.enum(["FIRST", "RENEWAL"], { error: "Indiquez s'il s'agit d'une première demande ou d'un renouvellement." }),
  }),
  submit: ({ type }) => ({ kind: "saved", data: { type } }),
  locals: () => ({ types: REQUEST_TYPES }),
  answers: (request) => ({
    title: "Type de demande",
    slug: "type",
    items: [{ label: "Type de demande", value: request.type ? REQUEST_TYPES[request.type] : NO_ANSWER }],
  }),
});
