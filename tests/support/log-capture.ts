/**
 * The log lines an application writes, kept in memory for a test to read:
 * createTestContext({ logger: capture.logger }), then capture.lines.
 */
import { createLogger, type Logger } from "../../src/logger.js";

export interface LogCapture {
  logger: Logger;
  /** Each line as written (JSON text), in order. */
  lines: string[];
  /** Each line parsed. */
  entries(): Record<string, unknown>[];
}

export function captureLogs(level: "info" | "debug" = "info"): LogCapture {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line.trimEnd()) });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
