import { describe, expect, it } from "vitest";
import { readSessionLogin } from "../../src/middleware/auth.js";
import { slowDownMs } from "../../src/middleware/rate-limit.js";

describe("what a session holds of its person", () => {
  it("is the account's id and its session version at login", () => {
    expect(readSessionLogin({ id: "3f1c2b9e-0000-4000-8000-000000000001", version: 4 })).toEqual({ id: "3f1c2b9e-0000-4000-8000-000000000001", version: 4 });
  });

  it("reads a session opened before versions existed (a bare id) as version 0, the version every account started with", () => {
    expect(readSessionLogin("3f1c2b9e-0000-4000-8000-000000000001")).toEqual({ id: "3f1c2b9e-0000-4000-8000-000000000001", version: 0 });
  });

  it("is nobody when the session holds anything else", () => {
    for (const stored of [undefined, null, 42, {}, { id: "x" }, { id: "x", version: "1" }, { id: "x", version: 1.5 }, { version: 1 }, ["x"]]) {
      expect(readSessionLogin(stored), JSON.stringify(stored)).toBeNull();
    }
  });
});

describe("the wait before answering a failed login", () => {
  it("is none for the first two failures, then one more second each, at most three", () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(slowDownMs)).toEqual([0, 0, 1000, 2000, 3000, 3000, 3000]);
  });

  it("is none before any attempt was counted", () => {
    expect(slowDownMs(0)).toBe(0);
  });
});
