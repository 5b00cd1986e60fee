/**
 * Throttling of logins, password checks, registrations, reset requests and
 * invitation codes, stored in PostgreSQL (rate-limiter-flexible) so that it
 * holds across restarts and processes.
 *
 * Every attempt is counted BEFORE the work it guards (a password check, a
 * mail): the count is one atomic UPSERT, so parallel requests cannot all slip
 * in before the first one is recorded. Keys apply the same way whether or not
 * an account exists: the answer never tells.
 */
import type pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

export interface ThrottleRule {
  /** Attempts allowed within the window… */
  points: number;
  /** …of this many seconds… */
  durationSeconds: number;
  /** …after which further attempts are refused for this long. */
  blockSeconds: number;
}

export interface ThrottleRules {
  /** Logins to one account (its e-mail address), from all source addresses together. */
  loginPerAccount: ThrottleRule;
  /** Logins from one source address, whatever the accounts. */
  loginPerIp: ThrottleRule;
  /** Checks of the current password by a logged-in person (« Changer le mot de passe »). */
  passwordCheckPerAccount: ThrottleRule;
  resetPerAddress: ThrottleRule;
  /** Reset requests from one source address, whatever the addresses asked for. */
  resetPerIp: ThrottleRule;
  registrationPerIp: ThrottleRule;
  invitationPerIp: ThrottleRule;
  /** Codes checked at /verifier from one source address (a valid code gives its point back). */
  verificationPerIp: ThrottleRule;
}

export const defaultThrottleRules: ThrottleRules = {
  loginPerAccount: { points: 5, durationSeconds: 15 * 60, blockSeconds: 15 * 60 },
  loginPerIp: { points: 50, durationSeconds: 60 * 60, blockSeconds: 30 * 60 },
  passwordCheckPerAccount: { points: 5, durationSeconds: 15 * 60, blockSeconds: 15 * 60 },
  resetPerAddress: { points: 3, durationSeconds: 60 * 60, blockSeconds: 60 * 60 },
  resetPerIp: { points: 20, durationSeconds: 60 * 60, blockSeconds: 60 * 60 },
  registrationPerIp: { points: 20, durationSeconds: 60 * 60, blockSeconds: 60 * 60 },
  invitationPerIp: { points: 10, durationSeconds: 60 * 60, blockSeconds: 60 * 60 },
  verificationPerIp: { points: 20, durationSeconds: 60 * 60, blockSeconds: 60 * 60 },
};

/** One counted attempt. */
export interface ThrottleHit {
  /** Attempts counted in the window, this one included. */
  attempts: number;
  /** Seconds to wait when this attempt went over the limit, else 0: the guarded work must not run. */
  retryAfterSeconds: number;
  /**
   * This attempt is the one that crossed the limit: true once per blocking
   * window (the atomic count gives each attempt its own number), to act once
   * rather than at every refused attempt.
   */
  crossedLimit: boolean;
}

export class Throttle {
  private readonly limiter: RateLimiterPostgres;

  constructor(
    pool: pg.Pool,
    name: string,
    readonly rule: ThrottleRule,
  ) {
    this.limiter = new RateLimiterPostgres({
      storeClient: pool,
      storeType: "pool",
      tableName: "rate_limits",
      // Created by the Prisma migrations.
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: name,
      points: rule.points,
      duration: rule.durationSeconds,
      blockDuration: rule.blockSeconds,
    });
  }

  /** Counts one attempt, before the work it guards; refused when `retryAfterSeconds` > 0. */
  async hit(key: string): Promise<ThrottleHit> {
    try {
      const state = await this.limiter.consume(key);
      return { attempts: state.consumedPoints, retryAfterSeconds: 0, crossedLimit: false };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return {
          attempts: rejection.consumedPoints,
          retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
          crossedLimit: rejection.consumedPoints === this.rule.points + 1,
        };
      }
      throw rejection;
    }
  }

  /** Gives back the point of an attempt that turned out legitimate (a successful login). */
  async refund(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

/** Counts one attempt against each throttle at once; the longest wait wins. */
export async function hitAll(hits: [Throttle, string][]): Promise<{ results: ThrottleHit[]; retryAfterSeconds: number }> {
  const results = await Promise.all(hits.map(([throttle, key]) => throttle.hit(key)));
  return { results, retryAfterSeconds: Math.max(0, ...results.map((result) => result.retryAfterSeconds)) };
}

export function waitMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `Trop de tentatives. Par sécurité, attendez ${minutes} minute${minutes > 1 ? "s" : ""} avant de réessayer.`;
}

/**
 * Before the refusal, repeated failures are slowed down: from the third, each
 * answer waits one more second (at most 3), which costs a person little and a
 * guessing script a lot.
 */
export function slowDownMs(attempts: number): number {
  return Math.min(Math.max(attempts - 2, 0), 3) * 1000;
}
