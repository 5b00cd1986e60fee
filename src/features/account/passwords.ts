import argon2 from "argon2";
import { logger } from "../../logger.js";

// argon2id with the library's defaults (64 MiB, 3 passes): OWASP's recommended floor.
const options = { type: argon2.argon2id } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

// Verified against when the address is unknown, so that a login answers in
// the same time whether or not the account exists.
const unknownAccountHash = argon2.hash("compte-inexistant", options);

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  try {
    if (hash === null) {
      await argon2.verify(await unknownAccountHash, password);
      return false;
    }
    return await argon2.verify(hash, password);
  } catch (error) {
    // A corrupt stored hash or a failing native binding: refused, but someone must know.
    logger.error({ err: error }, "argon2 : la vérification du mot de passe a échoué");
    return false;
  }
}
