/**
 * Ends an HTTP server for a stop (a deployment, a restart) without letting
 * one client hold the stop: no new connection is accepted; the answers being
 * written finish, with « Connection: close » so that no browser sends another
 * request on their connection; idle keep-alive connections are closed as soon
 * as they are idle (Node's close() closes only those idle at that moment); a
 * client still sending after `graceMs` (a slow upload, a stalled connection)
 * is cut.
 */
import type http from "node:http";

export async function drainHttp(server: http.Server, graceMs: number): Promise<void> {
  const closeWhenDone = (_request: http.IncomingMessage, response: http.ServerResponse) => {
    if (!response.headersSent) response.setHeader("Connection", "close");
  };
  server.on("request", closeWhenDone);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  let graceTimer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<void>((resolve) => {
    graceTimer = setTimeout(resolve, graceMs);
  });
  try {
    await Promise.race([closed, graceOver]);
  } finally {
    clearInterval(idleSweep);
    clearTimeout(graceTimer);
    server.closeAllConnections();
    server.off("request", closeWhenDone);
  }
}
