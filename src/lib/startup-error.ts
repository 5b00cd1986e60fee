/**
 * A start that cannot succeed, with a French sentence that says what to do.
 * src/server.ts prints its message alone (no stack: it is not a bug).
 */
export class StartupError extends Error {}
