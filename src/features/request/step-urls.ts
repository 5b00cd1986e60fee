/**
 * The addresses of the wizard's steps, and the way back to the récapitulatif
 * that « Modifier » opens.
 */
import type { Request } from "express";
import { z } from "zod";
import { paths, pathTo } from "../../paths.js";
import { summaryStep } from "./steps/summary-step.js";

export const SUMMARY = summaryStep.slug;

export const stepUrl = (slug: string) => pathTo(paths.requestStep, { slug });

const returnSchema = z.object({ retour: z.string().optional().catch(undefined) }).catch({});

/**
 * « Modifier » on the récapitulatif: its link carries ?retour=recapitulatif
 * and the step's form keeps it in a hidden field, so that « Suivant » comes
 * back to the récapitulatif instead of walking through every following step.
 */
export function returningToSummary(req: Request): boolean {
  return returnSchema.parse(req.query).retour === SUMMARY || returnSchema.parse(req.body ?? {}).retour === SUMMARY;
}

/** A step's address, keeping the way back to the récapitulatif if the person is on it. */
export function stepUrlFor(req: Request, slug: string): string {
  return returningToSummary(req) && slug !== SUMMARY ? withReturnToSummary(stepUrl(slug)) : stepUrl(slug);
}

/** An address of the wizard (a step, a file's removal) that leads back to the récapitulatif. */
export function withReturnToSummary(url: string): string {
  return `${url}?retour=${SUMMARY}`;
}
