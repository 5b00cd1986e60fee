/**
 * Serves public/ from the manifest (src/views/assets.ts): a fingerprinted URL
 * for a year, immutable (its content can never change); a plain URL with
 * `no-cache`, so that a browser asks again (a 304 thanks to the ETag) and
 * never keeps an old stylesheet after a release. Any other URL goes on to the
 * routes without touching the disk.
 */
import type { RequestHandler } from "express";
import type { AssetManifest, PublicFile } from "../views/assets.js";

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
export const IMMUTABLE = `public, max-age=${ONE_YEAR_SECONDS}, immutable`;
export const REVALIDATE = "no-cache";

export function staticFiles(manifest: AssetManifest): RequestHandler {
  const send = (res: Parameters<RequestHandler>[1], file: PublicFile, cacheControl: string) => {
    res.type(file.extension);
    res.set("Cache-Control", cacheControl);
    res.set("ETag", file.etag);
    // res.send answers 304 to a matching If-None-Match, and no body to HEAD.
    res.send(file.content);
  };
  return (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const fingerprinted = manifest.byFingerprintedUrl(req.path);
    if (fingerprinted) return send(res, fingerprinted, IMMUTABLE);
    const plain = manifest.byUrl(req.path);
    if (plain) return send(res, plain, REVALIDATE);
    next();
  };
}
