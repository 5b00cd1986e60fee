/** Staff accounts and submitted requests made directly in the database, for the back-office tests. */
import type { Database } from "../../src/db/prisma.js";
import { hashPassword } from "../../src/features/account/passwords.js";
import { formatRequestNumber } from "../../src/features/request/draft-service.js";
import { changeStatus } from "../../src/features/status/status-service.js";
import type { Prisma, RequestStatus } from "../../src/generated/prisma/client.js";
import { GOOD_PASSWORD, logIn } from "./accounts.js";
import { newBrowser, submitForm, type Agent } from "./browserless.js";
import { PUBLIC_URL, type TestContext } from "./test-app.js";

export async function createStaff(db: Database, email: string, role: "AGENT" | "ADMIN" = "AGENT") {
  return db.user.create({
    data: {
      email,
      firstName: role === "ADMIN" ? "Adèle" : "Anne",
      lastName: role === "ADMIN" ? "Admin" : "Agent",
      role,
      passwordHash: await hashPassword(GOOD_PASSWORD),
      emailVerifiedAt: new Date(),
    },
  });
}

/** An agent (guichet@cd93.fr) and an administrator (chef@cd93.fr), each logged in in their own browser. */
export async function loggedInStaff(ctx: TestContext): Promise<{ agent: Agent; admin: Agent }> {
  await createStaff(ctx.db, "guichet@cd93.fr");
  await createStaff(ctx.db, "chef@cd93.fr", "ADMIN");
  const agent = newBrowser(ctx.app);
  await logIn(agent, "guichet@cd93.fr");
  const admin = newBrowser(ctx.app);
  await logIn(admin, "chef@cd93.fr");
  return { agent, admin };
}

/**
 * « Enregistrer le statut » on a request's page. A final decision is then
 * confirmed in the same post (« confirmed »), unless `confirm` is false: the
 * confirmation step itself is tested in agent-decision.test.ts.
 */
export function postStatus(agent: Agent, number: string, fields: Record<string, string>, options: { confirm?: boolean } = {}) {
  const confirmation: Record<string, string> = options.confirm === false ? {} : { confirmed: "oui" };
  return submitForm(agent, `/agent/demandes/${number}`, { ...confirmation, ...fields }, `/agent/demandes/${number}/statut`);
}

let seeded = 0;
// One argon2 hash for every seeded applicant: hashing 50 times took longer than a test's timeout on a loaded machine.
let seededPasswordHash: Promise<string> | undefined;

/** A submitted request with its applicant, without going through the wizard. */
export async function seedRequest(
  db: Database,
  options: {
    lastName?: string;
    firstName?: string;
    email?: string;
    city?: string;
    type?: "FIRST" | "RENEWAL";
    statutCode?: string;
    zonageCode?: string;
    navigoNumber?: string;
    submittedAt?: Date;
    status?: RequestStatus;
    aidantName?: string | null;
    aidantEmail?: string | null;
    extra?: Partial<Prisma.RequestUncheckedCreateInput>;
  } = {},
) {
  seeded += 1;
  const email = options.email ?? `seed${seeded}-${Date.now()}@example.fr`;
  const user = await db.user.create({
    data: {
      email,
      firstName: options.firstName ?? "Jeanne",
      lastName: options.lastName ?? `Martin${seeded}`,
      passwordHash: await (seededPasswordHash ??= hashPassword(GOOD_PASSWORD)),
      emailVerifiedAt: new Date(),
      profile: {
        create: {
          civility: "MADAME",
          familySituation: "Célibataire",
          birthName: "Martin",
          birthDate: new Date(Date.UTC(1950, 0, 1)),
          street: "1 rue de la Paix",
          postalCode: "93000",
          city: options.city ?? "Bobigny",
          protectionMeasure: false,
        },
      },
    },
    include: { profile: true },
  });
  const [{ nextval }] = (await db.$queryRaw<{ nextval: bigint }[]>`SELECT nextval('request_number_seq')`) as [{ nextval: bigint }];
  const { passwordHash: _hash, ...snapshot } = user;
  return db.request.create({
    data: {
      applicantId: user.id,
      number: formatRequestNumber(nextval),
      status: options.status ?? "SUBMITTED",
      termsAcceptedAt: new Date(),
      termsVersion: "2026-11",
      type: options.type ?? "RENEWAL",
      statutCode: options.statutCode ?? "PA",
      zonageCode: options.zonageCode ?? "Z1_5",
      participationCents: 4200,
      navigoNumber: options.navigoNumber ?? String(10_000_000 + seeded),
      referenceTaxIncome: 9000,
      taxShares: 1,
      directDebit: false,
      aidantName: options.aidantName ?? null,
      aidantEmail: options.aidantEmail ?? null,
      submittedAt: options.submittedAt ?? new Date(),
      profileSnapshot: JSON.parse(JSON.stringify(snapshot)) as Prisma.InputJsonValue,
      completedSteps: [],
      ...options.extra,
    },
    include: { applicant: true },
  });
}

/**
 * A seeded request that an agent took up and moved to « En attente de pièce
 * complémentaire » with this message, and its applicant logged in.
 */
export async function awaitingDocument(
  ctx: TestContext,
  options: { email: string; aidantEmail?: string; staffId: string; message: string },
): Promise<{ applicant: Agent; request: Awaited<ReturnType<typeof seedRequest>>; number: string }> {
  const request = await seedRequest(ctx.db, { email: options.email, aidantEmail: options.aidantEmail ?? null });
  await ctx.db.$transaction(async (tx) => {
    const agent = { actor: "agent", actorId: options.staffId, publicUrl: PUBLIC_URL } as const;
    await changeStatus(tx, { requestId: request.id, to: "IN_REVIEW", ...agent });
    await changeStatus(tx, { requestId: request.id, to: "AWAITING_DOCUMENT", message: options.message, ...agent });
  });
  const applicant = newBrowser(ctx.app);
  await logIn(applicant, options.email);
  return { applicant, request, number: request.number! };
}

/** The « Situations et conditions » form as seeded, with some fields changed. */
export function situationsForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    "PA-label": "Personne âgée",
    "PA-minimumAge": "60",
    "PA-mustBeNonTaxable": "on",
    "PA-situationDocument": "Titre de pension de retraite",
    "AH-label": "Personne handicapée",
    "AH-minimumAge": "",
    "AH-mustBeNonTaxable": "on",
    "AH-situationDocument": "Carte d'invalidité",
    "AC-label": "Ancien combattant",
    "AC-minimumAge": "65",
    "AC-situationDocument": "Carte du combattant",
    "VG-label": "Veuve de guerre",
    "VG-minimumAge": "65",
    "VG-situationDocument": "Titre de pension de veuve de guerre",
    ...overrides,
  };
}

/** The agents' CSV export at `url`, as the bytes received. */
export function downloadCsv(agent: Agent, url: string) {
  return agent
    .get(url)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done(null, Buffer.concat(chunks)));
    });
}
