import type { RequestHandler } from "express";

/**
 * One line per request: method, path without its query string (tokens travel
 * there), status, duration. No body, no e-mail, no IP: no personal data.
 */
export const requestLog: RequestHandler = (req, res, next) => {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(0)}ms`);
  });
  next();
};
