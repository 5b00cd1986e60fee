/**
 * The proofs as PDF, for the applicant (their own requests) and for agents
 * (any request, each opening audited), and /verifier, where anyone with a
 * code learns only whether the proof is valid, its kind and its dates.
 */
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { ProofKind } from "../../generated/prisma/enums.js";
import { formErrors } from "../../lib/form-errors.js";
import { parseForm, renderForm, typedValues } from "../../lib/forms.js";
import { applicantIdOf } from "../../middleware/acting-for.js";
import { requireLogin, requireRole } from "../../middleware/auth.js";
import { renderNotFound } from "../../middleware/errors.js";
import { waitMessage, type Throttle } from "../../middleware/rate-limit.js";
import { paths } from "../../paths.js";
import type { Services } from "../../services.js";
import { buildProofPdf, PROOF_TITLES, proofFileName } from "./proof-pdf.js";
import type { Proof } from "./proof-service.js";
import { normalizeVerificationCode } from "./verification-code.js";

const MISSING = "Indiquez le code de vérification.";

const verifyForm = z.object({
  code: z
    .string({ error: MISSING })
    .trim()
    .min(1, MISSING)
    .max(100, "Le code de vérification comporte 12 caractères, par exemple H4RT-9KXW-M2PZ.")
    .transform((typed, context) => {
      const code = normalizeVerificationCode(typed);
      if (!code) {
        context.addIssue({ code: "custom", message: "Ce code n'a pas la bonne forme : il comporte 12 lettres et chiffres, par exemple H4RT-9KXW-M2PZ." });
        return z.NEVER;
      }
      return code;
    }),
});

const TITLE = "Vérifier un document";

async function sendProof(res: Response, proof: Proof): Promise<void> {
  const pdf = await buildProofPdf(proof);
  res.setHeader("Content-Type", "application/pdf");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cache-Control", "private, no-store");
  res.attachment(proofFileName(proof));
  res.send(pdf);
}

export function proofRoutes({ proofs }: Pick<Services, "proofs">, throttle: Throttle): Router {
  const router = Router();

  const applicantProof = (kind: ProofKind) => async (req: Request, res: Response) => {
    // An aidant acting for the person downloads the person's proofs, as their request page offers them.
    const proof = await proofs.forApplicant(applicantIdOf(req), String(req.params.number), kind);
    if (!proof) renderNotFound(req, res);
    else await sendProof(res, proof);
  };
  const agentProof = (kind: ProofKind) => async (req: Request, res: Response) => {
    const proof = await proofs.forAgent(req.user!.id, String(req.params.number), kind);
    if (!proof) renderNotFound(req, res);
    else await sendProof(res, proof);
  };
  const applicant = [requireLogin, requireRole("APPLICANT")];
  const agent = [requireLogin, requireRole("AGENT", "ADMIN")];
  router.get(paths.myRequestReceipt, ...applicant, applicantProof("RECEIPT"));
  router.get(paths.myRequestAttestation, ...applicant, applicantProof("ATTESTATION"));
  router.get(paths.agentRequestReceipt, ...agent, agentProof("RECEIPT"));
  router.get(paths.agentRequestAttestation, ...agent, agentProof("ATTESTATION"));

  router.get(paths.verify, (_req, res) => renderForm(res, "proofs/verify", { title: TITLE }));

  // A POST, so that the code never sits in a URL (logs, history). Every check is counted per
  // source address before the lookup; a valid code gives its point back (an agent checking
  // real documents all day is never blocked; a guesser is).
  router.post(paths.verify, async (req, res) => {
    const form = parseForm(verifyForm, req, ["code"]);
    if (!form.ok) {
      renderForm(res, "proofs/verify", { title: TITLE, values: typedValues(req), errors: form.errors });
      return;
    }
    const ip = req.ip ?? "inconnu";
    const { retryAfterSeconds } = await throttle.hit(ip);
    if (retryAfterSeconds > 0) {
      res.setHeader("Retry-After", String(retryAfterSeconds));
      renderForm(res, "proofs/verify", { title: TITLE, status: 429, values: typedValues(req), errors: formErrors([["code", waitMessage(retryAfterSeconds)]]) });
      return;
    }
    const verification = await proofs.verify(form.data.code);
    if (verification.valid) await throttle.refund(ip);
    renderForm(res, "proofs/verify", { title: TITLE, values: { code: form.data.code }, verification, code: form.data.code, kinds: PROOF_TITLES });
  });

  return router;
}
