import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, parseClamavUrl } from "../../src/config.js";
import { antivirusFor, ClamdAntivirus } from "../../src/features/documents/antivirus.js";
import { StartupError } from "../../src/lib/startup-error.js";
import { captureLogs } from "../support/log-capture.js";

describe("CLAMAV_URL", () => {
  it("reads tcp://host:port, 3310 by default, with a 10 s timeout unless CLAMAV_TIMEOUT_MS says otherwise", () => {
    expect(parseConfig({ CLAMAV_URL: "tcp://clamav.interne:3311" }).clamav).toEqual({ address: { host: "clamav.interne", port: 3311 }, timeoutMs: 10_000 });
    expect(parseConfig({ CLAMAV_URL: "tcp://127.0.0.1", CLAMAV_TIMEOUT_MS: "2500" }).clamav).toEqual({
      address: { host: "127.0.0.1", port: 3310 },
      timeoutMs: 2_500,
    });
    expect(parseClamavUrl("tcp://[::1]:3310")).toEqual({ host: "::1", port: 3310 });
    expect(parseConfig({}).clamav).toBeUndefined();
    expect(parseConfig({ CLAMAV_URL: "" }).clamav).toBeUndefined();
  });

  it.each(["http://clamav:3310", "clamav:3310", "tcp://"])("refuses %s with a French message", (url) => {
    expect(() => parseConfig({ CLAMAV_URL: url })).toThrow(ConfigError);
    expect(() => parseConfig({ CLAMAV_URL: url })).toThrow("CLAMAV_URL doit être l'adresse TCP du démon clamd");
  });

  it("is required in production: the portal refuses to start without it, saying what to set", () => {
    expect(() => antivirusFor({ env: "production", clamav: undefined })).toThrow(StartupError);
    expect(() => antivirusFor({ env: "production", clamav: undefined })).toThrow(
      /En production, CLAMAV_URL est obligatoire.*CLAMAV_URL=tcp:\/\/clamav\.interne:3310/,
    );
    expect(antivirusFor({ env: "production", clamav: { address: { host: "clamav", port: 3310 }, timeoutMs: 10_000 } })).toBeInstanceOf(ClamdAntivirus);
  });

  it("in development without it, says once that files are not scanned, and lets every file through", async () => {
    const capture = captureLogs();
    const antivirus = antivirusFor({ env: "development", clamav: undefined }, capture.logger);
    expect(antivirus.scans).toBe(false);
    expect(await antivirus.scanFile("/nonexistent")).toEqual({ infected: false });
    expect(await antivirus.scanFile("/nonexistent")).toEqual({ infected: false });
    const warnings = capture.entries().filter((entry) => entry.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain("les fichiers envoyés ne sont PAS analysés");
    expect(capture.lines).toHaveLength(1);
  });
});
