import { describe, expect, it } from "vitest";
import { startPeriodicJob } from "../../src/lib/periodic-job.js";

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startPeriodicJob", () => {
  it("stop() waits for the round in progress, and no round starts after it", async () => {
    let finishRound!: () => void;
    let rounds = 0;
    const job = startPeriodicJob({
      intervalMs: 1,
      round: () => {
        rounds += 1;
        return new Promise<void>((resolve) => (finishRound = resolve));
      },
      onError: () => undefined,
    });
    await tick();
    expect(rounds).toBe(1);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await tick();
    // The round is still running: stop() has not returned.
    expect(stopped).toBe(false);
    finishRound();
    await stopping;
    await tick(20);
    expect(rounds).toBe(1);
  });

  it("never overlaps two rounds, and goes on after a failed one", async () => {
    let running = 0;
    let most = 0;
    const errors: unknown[] = [];
    let rounds = 0;
    const job = startPeriodicJob({
      intervalMs: 1,
      round: async () => {
        rounds += 1;
        running += 1;
        most = Math.max(most, running);
        await tick(3);
        running -= 1;
        if (rounds === 1) throw new Error("base indisponible");
      },
      onError: (error) => errors.push(error),
    });
    await tick(60);
    await job.stop();
    expect(rounds).toBeGreaterThan(2);
    expect(most).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
