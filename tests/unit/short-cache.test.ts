import { describe, expect, it } from "vitest";
import { ShortCache } from "../../src/features/pages/short-cache.js";

function counter() {
  let now = 0;
  let loads = 0;
  const cache = new ShortCache(
    () => Promise.resolve(++loads),
    1000,
    () => now,
  );
  return { cache, advance: (ms: number) => (now += ms), loads: () => loads };
}

describe("a short cache", () => {
  it("loads once for callers that arrive together, and again after its delay", async () => {
    const { cache, advance, loads } = counter();
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual([1, 1, 1]);
    advance(999);
    expect(await cache.get()).toBe(1);
    advance(1);
    expect(await cache.get()).toBe(2);
    expect(loads()).toBe(2);
  });

  it("loads again at once when told to forget", async () => {
    const { cache } = counter();
    await cache.get();
    cache.forget();
    expect(await cache.get()).toBe(2);
  });

  it("does not keep a failed load: the next caller tries again", async () => {
    let attempts = 0;
    const cache = new ShortCache(() => (++attempts === 1 ? Promise.reject(new Error("base indisponible")) : Promise.resolve("ok")), 60_000);
    await expect(cache.get()).rejects.toThrow("base indisponible");
    expect(await cache.get()).toBe("ok");
  });
});
