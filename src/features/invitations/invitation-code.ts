/**
 * The invitation code: 12 characters in three groups (« K7P2-X9QM-4TZA »),
 * short enough to be read aloud at a counter or typed from paper.
 */
import { randomInt } from "node:crypto";

// No 0/O, 1/I/L: read aloud or copied from paper without mistakes.
export const INVITATION_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const LENGTH = 12;

/** « K7P2X9QM4TZA » → « K7P2-X9QM-4TZA »: the form the person is given, and the one whose hash is stored. */
export function formatInvitationCode(compact: string): string {
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}

export function generateInvitationCode(): string {
  return formatInvitationCode(Array.from({ length: LENGTH }, () => INVITATION_ALPHABET[randomInt(INVITATION_ALPHABET.length)]).join(""));
}

/** « k7p2 x9qm-4tza » → « K7P2-X9QM-4TZA »; null when it cannot be a code. */
export function normalizeInvitationCode(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (compact.length !== LENGTH || [...compact].some((character) => !INVITATION_ALPHABET.includes(character))) return null;
  return formatInvitationCode(compact);
}
