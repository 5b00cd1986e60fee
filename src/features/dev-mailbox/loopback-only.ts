import type { Request, RequestHandler } from "express";
import { renderNotFound } from "../../middleware/errors.js";

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** True for an address of the machine itself (IPv4 127/8, IPv6 ::1, or IPv4 mapped into IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.test(address);
}

/**
 * A request that comes from the machine itself and was not relayed by a proxy.
 * The socket's address is used, never req.ip (which trusts X-Forwarded-For).
 * A reverse proxy on the same machine connects from loopback too, so any
 * forwarding header means someone else is behind it.
 */
export function isLocalRequest(req: Request): boolean {
  const relayed = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined || req.headers["x-real-ip"] !== undefined;
  return !relayed && isLoopbackAddress(req.socket.remoteAddress);
}

/** Anything else gets the plain 404 page, not a hint that the mailbox exists. */
export const loopbackOnly: RequestHandler = (req, res, next) => {
  if (isLocalRequest(req)) next();
  else renderNotFound(req, res);
};
