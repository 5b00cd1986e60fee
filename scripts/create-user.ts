/**
 * Creates (or promotes) an agent or administrator account from the command line:
 *
 *   npm run create-user -- --role agent --email agent@seinesaintdenis.fr --first-name Anne --last-name Martin
 *
 * The password is read from the AMETHYSTE_PASSWORD environment variable, or
 * asked on the terminal without echo, so it never lands in the shell history.
 * Uses DATABASE_URL, or the embedded PostgreSQL of `npm start` when unset.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { createInterface } from "node:readline/promises";
import { parseConfig } from "../src/config.js";
import {
  embeddedDatabaseUrl,
  embeddedPostgresIsRunning,
  startEmbeddedPostgres,
  type EmbeddedDatabaseServer,
} from "../src/db/embedded-postgres.js";
import { applyMigrations } from "../src/db/migrate.js";
import { createDatabase } from "../src/db/prisma.js";
import { passwordProblem } from "../src/domain/password-policy.js";
import { normalizeEmail } from "../src/features/account/account-service.js";
import { hashPassword } from "../src/features/account/passwords.js";
import { emailAddress, personName } from "../src/lib/form-fields.js";

const ROLES = { agent: "AGENT", admin: "ADMIN", administrateur: "ADMIN" } as const;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
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

const { values } = parseArgs({
  options: {
    role: { type: "string", default: "agent" },
    email: { type: "string" },
    "first-name": { type: "string" },
    "last-name": { type: "string" },
  },
});

const role = ROLES[(values.role ?? "").toLowerCase() as keyof typeof ROLES] ?? fail("--role doit valoir agent ou admin.");
const email = emailAddress({ missing: "--email est obligatoire." }).safeParse(values.email ?? "");
const firstName = personName({ missing: "--first-name est obligatoire." }).safeParse(values["first-name"] ?? "");
const lastName = personName({ missing: "--last-name est obligatoire." }).safeParse(values["last-name"] ?? "");
for (const field of [email, firstName, lastName]) if (!field.success) fail(field.error.issues[0]!.message);

const password = await askPassword();
const problem = passwordProblem(password);
if (problem) fail(problem);

const config = parseConfig(process.env);
let embedded: EmbeddedDatabaseServer | undefined;
let databaseUrl = config.databaseUrl;
if (!databaseUrl && (await embeddedPostgresIsRunning(config.embeddedPgPort))) {
  // The portal is running: use its database rather than starting a second server on the same files.
  databaseUrl = embeddedDatabaseUrl(config.embeddedPgPort, "amethyste");
} else if (!databaseUrl) {
  embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, "postgres"), port: config.embeddedPgPort });
  await embedded.createDatabase("amethyste");
  databaseUrl = embedded.urlFor("amethyste");
}
await applyMigrations(databaseUrl!);
const db = createDatabase(databaseUrl);
try {
  const address = normalizeEmail(email.data!);
  const passwordHash = await hashPassword(password);
  const now = new Date();
  const user = await db.user.upsert({
    where: { email: address },
    create: { email: address, firstName: firstName.data!, lastName: lastName.data!, role, passwordHash, emailVerifiedAt: now, passwordChangedAt: now },
    update: { firstName: firstName.data!, lastName: lastName.data!, role, passwordHash, disabledAt: null, passwordChangedAt: now },
  });
  console.log(`Compte ${role === "ADMIN" ? "administrateur" : "agent"} prêt : ${user.email}`);
} finally {
  await db.$disconnect();
  await embedded?.stop();
}
