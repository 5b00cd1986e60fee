import { describe, expect, it } from "vitest";
import { createLogger, maskPersonalData, serializeError } from "../../src/logger.js";
import { requestIdFrom } from "../../src/middleware/request-log.js";

function linesOf(log: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown>[] {
  const lines: string[] = [];
  log(createLogger("info", { write: (line: string) => void lines.push(line) }));
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("maskPersonalData", () => {
  it("masks e-mail addresses and IBANs, with or without spaces, and keeps the rest", () => {
    expect(maskPersonalData("duplicate key (email)=(Anne.Martin@cd93.fr) exists")).toBe("duplicate key (email)=([e-mail]) exists");
    expect(maskPersonalData("IBAN FR76 3000 6000 0112 3456 7890 189 refusé")).toBe("IBAN [IBAN] refusé");
    expect(maskPersonalData("FR7630006000011234567890189")).toBe("[IBAN]");
    expect(maskPersonalData('relation "Profile" does not exist')).toBe('relation "Profile" does not exist');
  });
});

describe("serializeError", () => {
  it("keeps the type, the code, the first line masked and the stack frames only", () => {
    const error = Object.assign(new Error("refusé pour a@b.fr\nArguments: { lastName: 'Martin' }"), { code: "P2002" });
    const serialized = serializeError(error);
    expect(serialized.type).toBe("Error");
    expect(serialized.code).toBe("P2002");
    expect(serialized.message).toBe("refusé pour [e-mail]");
    expect(serialized.stack).toMatch(/^\s+at /);
    expect(JSON.stringify(serialized)).not.toContain("Martin");
  });

  it("says nothing of a thrown value that is not an Error", () => {
    expect(serializeError("a@b.fr")).toEqual({ type: "string", message: "" });
  });
});

describe("createLogger", () => {
  it("redacts personal fields at the top level and one level down", () => {
    const [line] = linesOf((logger) => logger.info({ email: "a@b.fr", user: { firstName: "Anne", iban: "FR76…", id: "u1" }, body: { x: 1 } }, "essai"));
    expect(line).toMatchObject({ email: "[masqué]", user: { firstName: "[masqué]", iban: "[masqué]", id: "u1" }, body: "[masqué]", msg: "essai" });
  });

  it("logs a request as its id, method and path, never the query string or the headers", () => {
    const [line] = linesOf((logger) =>
      logger.info({ req: { id: "r1", method: "GET", url: "/inscription/confirmer?token=secret", headers: { cookie: "amethyste.sid=x" } } }, "essai"),
    );
    expect(line?.req).toEqual({ id: "r1", method: "GET", path: "/inscription/confirmer" });
  });
});

describe("requestIdFrom", () => {
  it("takes a proxy's id only behind a trusted proxy, and only a plain one", () => {
    expect(requestIdFrom("abcdef-12345", true)).toBe("abcdef-12345");
    expect(requestIdFrom("abcdef-12345", false)).not.toBe("abcdef-12345");
    expect(requestIdFrom("anne.martin@cd93.fr", true)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(undefined, true)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
