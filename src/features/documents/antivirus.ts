/**
 * Every received file is scanned by a ClamAV daemon (clamd, INSTREAM over
 * TCP) before it is stored. The client is the `clamscan` npm package (the
 * most used and maintained Node client of clamd; its scanStream speaks
 * INSTREAM), used only over TCP: it never looks for a local binary.
 *
 * Without CLAMAV_URL the portal starts in development (files are then not
 * scanned, said once in the log) and refuses to start in production.
 */
import { createReadStream } from "node:fs";
import NodeClam from "clamscan";
import type { AppConfig } from "../../config.js";
import { StartupError } from "../../lib/startup-error.js";
import { logger as processLogger, type Logger } from "../../logger.js";

export type ScanResult = { infected: false } | { infected: true; signature: string };

/** The daemon could not be reached, did not answer in time, or could not say whether the file is clean. */
export class AntivirusUnavailable extends Error {}

export interface Antivirus {
  /** False when files are not scanned (development without CLAMAV_URL). */
  readonly scans: boolean;
  /** Throws AntivirusUnavailable when no verdict could be had. */
  scanFile(filePath: string): Promise<ScanResult>;
}

/** Development without a daemon: every file passes, as before the antivirus. */
export const unscannedAntivirus: Antivirus = {
  scans: false,
  scanFile: () => Promise.resolve({ infected: false }),
};

export class ClamdAntivirus implements Antivirus {
  readonly scans = true;
  private client: Promise<NodeClam> | undefined;

  constructor(
    private readonly address: { host: string; port: number },
    private readonly timeoutMs: number,
  ) {}

  async scanFile(filePath: string): Promise<ScanResult> {
    const stream = createReadStream(filePath);
    let timer: NodeJS.Timeout | undefined;
    // clamscan's own timeout only half-closes the socket: a daemon that accepted and hangs
    // (overloaded, frozen) would keep the upload waiting for ever without this one.
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new AntivirusUnavailable(`clamd n'a pas répondu en ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const client = await Promise.race([this.connect(), timedOut]);
      const verdict = await Promise.race([client.scanStream(stream), timedOut]);
      if (verdict.isInfected === true) {
        return { infected: true, signature: verdict.viruses[0] ?? "signature inconnue" };
      }
      if (verdict.isInfected === false) return { infected: false };
      throw new AntivirusUnavailable("clamd n'a pas donné de verdict");
    } catch (error) {
      const unavailable =
        error instanceof AntivirusUnavailable
          ? error
          : new AntivirusUnavailable(`clamd injoignable : ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      // For the operators: uploads are refused until the daemon answers again (the address only, no file).
      processLogger.error({ clamd: `${this.address.host}:${this.address.port}` }, `antivirus indisponible : ${unavailable.message}`);
      throw unavailable;
    } finally {
      clearTimeout(timer);
      stream.destroy();
    }
  }

  private connect(): Promise<NodeClam> {
    this.client ??= new NodeClam()
      .init({
        // Only the daemon over TCP: no local binary is looked for (an empty path), none is run.
        clamdscan: { host: this.address.host, port: this.address.port, timeout: this.timeoutMs, localFallback: false, bypassTest: true, path: "" },
        clamscan: { active: false },
        preference: "clamdscan",
      })
      .catch((error: unknown) => {
        this.client = undefined;
        throw error;
      });
    return this.client;
  }
}

/**
 * The scanner the configuration asks for. In production without CLAMAV_URL it
 * refuses to start; elsewhere it says once that files are not scanned.
 */
export function antivirusFor(config: Pick<AppConfig, "env" | "clamav">, logger?: Logger): Antivirus {
  if (config.clamav) return new ClamdAntivirus(config.clamav.address, config.clamav.timeoutMs);
  if (config.env === "production") {
    throw new StartupError(
      "En production, CLAMAV_URL est obligatoire : chaque fichier envoyé doit être analysé par l'antivirus ClamAV (clamd) avant d'être enregistré. " +
        "Indiquez l'adresse du démon clamd, par exemple CLAMAV_URL=tcp://clamav.interne:3310, puis relancez le portail.",
    );
  }
  logger?.warn("CLAMAV_URL n'est pas défini : les fichiers envoyés ne sont PAS analysés par un antivirus (accepté hors production seulement).");
  return unscannedAntivirus;
}
