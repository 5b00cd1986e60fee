/**
 * A request's answers as a person reads them, one group per applicable step
 * (each step says how its answers read): the request's page, the agents'
 * page and the receipt. The récapitulatif builds the same from its states.
 */
import type { Request } from "../../generated/prisma/client.js";
import { WIZARD_STEPS } from "./registry.js";
import type { AnswerGroup, ReferenceData } from "./wizard-types.js";

export type { AnswerGroup } from "./wizard-types.js";

export function answerGroups(request: Request, statuts: ReferenceData["statuts"], zonages: ReferenceData["zonages"]): AnswerGroup[] {
  return WIZARD_STEPS.filter((step) => step.isApplicable(request)).flatMap((step) => {
    const group = step.answers?.(request, { statuts, zonages });
    return group ? [group] : [];
  });
}
