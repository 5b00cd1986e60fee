/**
 * Helpers to act like a browser with supertest: keep cookies, read the CSRF
 * token from the page, submit forms, follow links found in mails.
 */
import request from "supertest";
import type TestAgent from "supertest/lib/agent.js";
import type { Express } from "express";

export type Agent = TestAgent;

export function newBrowser(app: Express): Agent {
  return request.agent(app);
}

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error("Aucun jeton CSRF dans la page");
  return match[1]!;
}

/** GETs the page that holds the form, then POSTs the fields with its CSRF token. */
export async function submitForm(agent: Agent, pageUrl: string, fields: Record<string, string>, actionUrl = pageUrl.split("?")[0]!) {
  const page = await agent.get(pageUrl);
  return agent
    .post(actionUrl)
    .type("form")
    .send({ _csrf: csrfTokenIn(page.text), ...fields });
}

/** The first link of a mail's text that starts with the given path. */
export function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://[^\\s]+${path.replace(/[?]/g, "\\?")}[^\\s]*`).exec(text);
  if (!match) throw new Error(`Aucun lien ${path} dans le message:\n${text}`);
  const url = new URL(match[0]);
  return url.pathname + url.search;
}

/** The visible text of a page, tags removed and spaces collapsed, to assert what a person reads. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();
}
