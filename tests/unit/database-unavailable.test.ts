import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../src/db/unavailable.js";

describe("isDatabaseUnavailable", () => {
  it("recognises an outage in each shape it reaches the error handler", () => {
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Query read timeout"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    // Prisma's driver-adapter error, and a client error wrapping it.
    expect(isDatabaseUnavailable({ name: "DriverAdapterError", message: "x", cause: { kind: "DatabaseNotReachable" } })).toBe(true);
    expect(isDatabaseUnavailable({ message: "x", code: "P2010", meta: { driverAdapterError: { cause: { kind: "postgres", originalCode: "57014" } } } })).toBe(
      true,
    );
  });

  it("leaves bugs and bad data to the 500 and 4xx handlers", () => {
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("Unique constraint failed"), { code: "P2002" }))).toBe(false);
    expect(isDatabaseUnavailable({ message: "x", cause: { kind: "UniqueConstraintViolation" } })).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
