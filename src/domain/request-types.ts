/**
 * The two kinds of request, with their labels as the applicant and the
 * agents read them: the wizard's first step, the request's page, the queue.
 */
import type { RequestType } from "../generated/prisma/enums.js";

export const REQUEST_TYPES = { FIRST: "Première demande", RENEWAL: "Renouvellement" } as const satisfies Record<RequestType, string>;
