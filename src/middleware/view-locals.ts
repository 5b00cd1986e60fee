import type { RequestHandler } from "express";
import { fieldId } from "../lib/form-errors.js";
import { PASSWORD_RULE_ITEMS, PASSWORD_RULE_TEXT } from "../domain/password-policy.js";
import { paths, pathTo } from "../paths.js";
import { describedBy } from "../views/form-controls.js";
import {
  formatAddress,
  formatDate,
  formatDateTime,
  formatDay,
  formatEuros,
  formatNumber,
  formatShortDateTime,
  formatSize,
  formatTimestamp,
  personName,
} from "../views/format.js";
import { currentItemHref, navigationFor } from "../views/navigation.js";
import { uploadRules } from "../views/upload-rules.js";
import { describeMissing } from "../domain/missing-document.js";

/** Values every view can rely on, overridden per request by viewLocals. */
export const viewDefaults = {
  currentUser: null,
  currentPath: "",
  flash: null,
  fieldId,
  ariaDescribedBy: describedBy,
  passwordRule: { text: PASSWORD_RULE_TEXT, items: PASSWORD_RULE_ITEMS },
  csrfToken: () => "",
  // Every link and form action is built from the one list of paths.
  paths,
  pathTo,
  navigationFor,
  currentItemHref,
  formatAddress,
  formatDate,
  formatDay,
  formatDateTime,
  formatShortDateTime,
  formatTimestamp,
  formatEuros,
  formatNumber,
  formatSize,
  personName,
  uploadRules,
  // « Non fourni : <raison> » of a declaration « Je ne peux pas fournir ce document ».
  describeMissing,
};

/** What every view may use: the person logged in, the one-shot message, the current path, helpers. */
export const viewLocals: RequestHandler = (req, res, next) => {
  res.locals.currentUser = req.user ?? null;
  res.locals.currentPath = req.path;
  if (req.session?.flash) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  } else {
    res.locals.flash = null;
  }
  next();
};
