/**
 * Secrets for development and tests: generated once and kept in the
 * git-ignored data folder, so that sessions survive a restart. Production
 * never gets here (src/config.ts requires real secrets there).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A random secret of 32 bytes, base64url (session secret) or base64 (encryption key). */
export function loadOrCreateDevSecret(dataDir: string, name: string, encoding: "base64url" | "base64" = "base64url"): string {
  const file = path.join(dataDir, "dev-secrets", name);
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const secret = randomBytes(32).toString(encoding);
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
