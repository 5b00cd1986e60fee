/**
 * One value kept for a short while: the first caller starts the load, the
 * callers that arrive meanwhile share it (a burst of visitors costs one
 * query), and the value is reused until `ttlMs` after it was loaded. A failed
 * load is not kept: the next caller tries again. `forget()` drops it at once,
 * for a change made by this process.
 */
export class ShortCache<T> {
  private entry: { value: Promise<T>; loadedAt: number } | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    /** A clock that only moves forward (time of day can jump back). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(): Promise<T> {
    const now = this.now();
    if (this.entry && now - this.entry.loadedAt < this.ttlMs) return this.entry.value;
    const entry = { value: this.load(), loadedAt: now };
    this.entry = entry;
    entry.value.catch(() => {
      if (this.entry === entry) this.entry = undefined;
    });
    return entry.value;
  }

  forget(): void {
    this.entry = undefined;
  }
}
