/**
 * Throttling of repeated failed logins, registrations and reset requests,
 * stored in PostgreSQL (rate-limiter-flexible) so that it holds across
 * restarts and processes. Keys combine the address with the client's IP, and
 * apply the same way whether or not an account exists: the answer never
 * tells.
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
  loginPerAddress: ThrottleRule;
  loginPerIp: ThrottleRule;
  resetPerAddress: ThrottleRule;
  registrationPerIp: ThrottleRule;
  invitationPerIp: ThrottleRule;
}

export const defaultThrottleRules: ThrottleRules = {
  loginPerAddress: { points: 5, durationSeconds: 15 * 60, blockSeconds: 15 * 60 },
  loginPerIp: { points: 50, durationSeconds: 60 * 60, blockSeconds: 30 * 60 },
  resetPerAddress: { points: 3, durationSeconds: 60 * 60, blockSeconds: 60 * 60 },
  registrationPerIp: { points: 20, durationSeconds: 60 * 60, blockSeconds: 60 * 60 },
  invitationPerIp: { points: 10, durationSeconds: 60 * 60, blockSeconds: 60 * 60 },
};

export class Throttle {
  private readonly limiter: RateLimiterPostgres;

  constructor(pool: pg.Pool, name: string, rule: ThrottleRule) {
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

  /** Seconds to wait before trying again, or 0 when the key is not blocked. */
  async secondsBlocked(key: string): Promise<number> {
    const state = await this.limiter.get(key);
    if (state && state.remainingPoints <= 0 && state.consumedPoints > 0) {
      return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    }
    return 0;
  }

  /**
   * Counts one attempt. Returns how many were counted in the window and, when
   * that went over the limit, the seconds to wait (else 0).
   */
  async hit(key: string): Promise<{ attempts: number; retryAfterSeconds: number }> {
    try {
      const state = await this.limiter.consume(key);
      return { attempts: state.consumedPoints, retryAfterSeconds: 0 };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return { attempts: rejection.consumedPoints, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      }
      throw rejection;
    }
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
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
