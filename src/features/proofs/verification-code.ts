/**
 * The verification code printed on a proof: 12 characters in three groups
 * (« H4RT-9KXW-M2PZ »), typed by an agent from paper, so without the letters
 * and digits that are read one for another (0/O, 1/I/L). 31^12 ≈ 8·10^17
 * codes: with /verifier throttled, guessing one is out of reach.
 */
import { randomInt } from "node:crypto";

const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const LENGTH = 12;

function grouped(compact: string): string {
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}

export function generateVerificationCode(): string {
  return grouped(Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(""));
}

/** « h4rt 9kxw-m2pz » → « H4RT-9KXW-M2PZ »; null when it cannot be a code (wrong length or character). */
export function normalizeVerificationCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, "");
  if (compact.length !== LENGTH || [...compact].some((character) => !ALPHABET.includes(character))) return null;
  return grouped(compact);
}
