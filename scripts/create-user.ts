/**
 * Creates an agent or administrator account from the command line:
 *
 *   npm run create-user -- --role agent --email agent@seinesaintdenis.fr --first-name Anne --last-name Martin
 *
 * An address that already has an account is refused: the command would
 * otherwise hand someone else's account (an applicant's) to whoever runs it.
 * `--promote` changes only the role of that existing account, keeping its
 * name and password, and says what changed:
 *
 *   npm run create-user -- --promote --role admin --email agent@seinesaintdenis.fr
 *
 * The password is read from the AMETHYSTE_PASSWORD environment variable, or
 * asked on the terminal without echo, so it never lands in the shell history.
 * Uses DATABASE_URL, or the embedded PostgreSQL of `npm start` when unset.
 */
import { parseArgs } from "node:util";
import { createInterface } from "node:readline/promises";
import { parseConfig } from "../src/config.js";
import type { Database } from "../src/db/prisma.js";
import { passwordProblem } from "../src/domain/password-policy.js";
import type { User } from "../src/generated/prisma/client.js";
import type { Role } from "../src/generated/prisma/enums.js";
import { normalizeEmail } from "../src/features/account/account-service.js";
import { hashPassword } from "../src/features/account/passwords.js";
import { emailAddress, personName } from "../src/lib/form-fields.js";
import { withPortalDatabase } from "./portal-database.js";

const ROLES = { agent: "AGENT", admin: "ADMIN", administrateur: "ADMIN" } as const;
const ROLE_NAMES: Record<Role, string> = { APPLICANT: "demandeur", AGENT: "agent", ADMIN: "administrateur" };

/** A refusal to print in French; the database is closed before exiting. */
class Refusal extends Error {}

function fail(message: string): never {
  throw new Refusal(message);
}

async function askPassword(): Promise<string> {
  if (process.env.AMETHYSTE_PASSWORD) return process.env.AMETHYSTE_PASSWORD;
  if (!process.stdin.isTTY) fail("Donnez le mot de passe dans AMETHYSTE_PASSWORD (pas de terminal pour le demander).");
  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Hide what is typed: print nothing for each key.
  (terminal as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => undefined;
  process.stdout.write("Mot de passe : ");
  const password = await terminal.question("");
  terminal.close();
  process.stdout.write("\n");
  return password;
}

/** Changes only the role of the existing account; the name, the password and the sessions stay. */
async function promote(db: Database, user: User, role: Role): Promise<void> {
  if (user.role === role) {
    console.log(`${user.email} a déjà le rôle ${ROLE_NAMES[role]} : rien n'a changé.`);
    return;
  }
  await db.user.update({ where: { id: user.id }, data: { role } });
  console.log(`Compte de ${user.email} : rôle changé de ${ROLE_NAMES[user.role]} à ${ROLE_NAMES[role]}. Le nom et le mot de passe n'ont pas changé.`);
  if (!user.passwordHash)
    console.log("Ce compte n'a pas encore de mot de passe : la personne le choisira avec « Mot de passe oublié ? » sur la page de connexion.");
  if (user.disabledAt) console.log("Ce compte est désactivé : un administrateur peut le réactiver dans « Comptes agents ».");
}

async function create(db: Database, address: string, role: Role, names: { firstName: string; lastName: string }): Promise<void> {
  const password = await askPassword();
  const problem = passwordProblem(password);
  if (problem) fail(problem);
  const passwordHash = await hashPassword(password);
  const now = new Date();
  const user = await db.user.create({
    data: { email: address, ...names, role, passwordHash, emailVerifiedAt: now, passwordChangedAt: now },
  });
  console.log(`Compte ${ROLE_NAMES[role]} prêt : ${user.email}`);
}

function readArguments() {
  try {
    return parseArgs({
      options: {
        role: { type: "string", default: "agent" },
        email: { type: "string" },
        "first-name": { type: "string" },
        "last-name": { type: "string" },
        promote: { type: "boolean", default: false },
      },
    });
  } catch {
    fail("Options reconnues : --role agent|admin, --email, --first-name, --last-name, --promote.");
  }
}

async function main(): Promise<void> {
  const { values } = readArguments();

  const role = ROLES[(values.role ?? "").toLowerCase() as keyof typeof ROLES] ?? fail("--role doit valoir agent ou admin.");
  const email = emailAddress({ missing: "--email est obligatoire." }).safeParse(values.email ?? "");
  if (!email.success) fail(email.error.issues[0]!.message);
  const address = normalizeEmail(email.data);
  let names: { firstName: string; lastName: string } | undefined;
  if (!values.promote) {
    const firstName = personName({ missing: "--first-name est obligatoire." }).safeParse(values["first-name"] ?? "");
    const lastName = personName({ missing: "--last-name est obligatoire." }).safeParse(values["last-name"] ?? "");
    for (const field of [firstName, lastName]) if (!field.success) fail(field.error.issues[0]!.message);
    names = { firstName: firstName.data!, lastName: lastName.data! };
    // Checked before the database starts, so that a mistyped password costs nothing.
    const problem = process.env.AMETHYSTE_PASSWORD ? passwordProblem(process.env.AMETHYSTE_PASSWORD) : null;
    if (problem) fail(problem);
  }

  const config = parseConfig(process.env);
  await withPortalDatabase(config, async (db) => {
    const existing = await db.user.findUnique({ where: { email: address } });
    if (values.promote) {
      if (!existing) fail(`Aucun compte avec l'adresse ${address} : sans --promote, la commande crée le compte.`);
      await promote(db, existing, role);
    } else {
      if (existing) {
        fail(
          `Un compte existe déjà avec l'adresse ${address} (rôle ${ROLE_NAMES[existing.role]}) : rien n'a changé. ` +
            `Pour lui donner le rôle ${ROLE_NAMES[role]}, relancez la commande avec --promote : son nom et son mot de passe resteront les mêmes.`,
        );
      }
      await create(db, address, role, names!);
    }
  });
}

try {
  await main();
} catch (error) {
  if (!(error instanceof Refusal)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
