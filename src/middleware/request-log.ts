/**
 * pino-http: every request gets an id (`req.id`, the `reqId` of each of its
 * log lines, the `X-Request-Id` header, the 500 page's « Référence de
 * l'erreur »), a logger `req.log`, and, with LOG_REQUESTS, one line when it
 * ends: method, path without its query string, status, duration. No body,
 * no header, no IP (src/logger.ts).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import { pinoHttp } from "pino-http";
import { pathOf, serializers, type Logger } from "../logger.js";

/** An id a proxy may hand over: short, and nothing but letters, digits and « .-_ » (never a place for personal data). */
const FORWARDED_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestIdFrom(forwarded: string | string[] | undefined, trustProxy: boolean): string {
  if (trustProxy && typeof forwarded === "string" && FORWARDED_ID.test(forwarded)) return forwarded;
  return randomUUID();
}

export function requestLog(options: { logger: Logger; trustProxy: boolean; logRequests: boolean }): RequestHandler {
  const describe = (req: IncomingMessage, res: ServerResponse) => `${req.method} ${pathOf(req)} ${res.statusCode}`;
  return pinoHttp({
    logger: options.logger,
    // The logger's own serializers, not pino-http's (which keep headers, query string and address).
    serializers,
    wrapSerializers: false,
    quietReqLogger: true,
    autoLogging: options.logRequests,
    genReqId: (req, res) => {
      const id = requestIdFrom(req.headers["x-request-id"], options.trustProxy);
      res.setHeader("X-Request-Id", id);
      return id;
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
    customSuccessMessage: describe,
    customErrorMessage: describe,
    // The error itself is logged once, by the error handler, with its stack frames.
    customErrorObject: (_req, res, _error, value: { responseTime: number }) => ({ res, responseTime: value.responseTime }),
  }) as RequestHandler;
}
