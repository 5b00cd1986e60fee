import { describe, expect, it } from "vitest";
import { runOnce } from "../../src/lib/shutdown.js";

describe("runOnce", () => {
  it("runs one shutdown for SIGINT then SIGTERM, and gives the second caller the first one's end", async () => {
    const calls: string[] = [];
    const repeats: string[] = [];
    let finish: () => void = () => undefined;
    const shutdown = runOnce(
      (reason, exitCode) => {
        calls.push(`${reason}:${exitCode}`);
        return new Promise<void>((resolve) => (finish = resolve));
      },
      (reason) => repeats.push(reason),
    );
    const first = shutdown("SIGINT");
    const second = shutdown("SIGTERM", 1);
    expect(calls).toEqual(["SIGINT:0"]);
    expect(repeats).toEqual(["SIGTERM"]);
    expect(second).toBe(first);
    finish();
    await second;
    await shutdown("SIGHUP");
    expect(calls).toEqual(["SIGINT:0"]);
  });
});
