/**
 * A browser without JavaScript, enough to log in and fill forms before the
 * load starts: one cookie jar, manual redirects, the CSRF token read from
 * each page's form.
 */
export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  /** The Cookie header to give the load generator, so that it loads pages as this person. */
  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private remember(answer: Response): void {
    for (const line of answer.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const separator = pair!.indexOf("=");
      if (separator > 0) this.cookies.set(pair!.slice(0, separator).trim(), pair!.slice(separator + 1).trim());
    }
  }

  async get(path: string): Promise<{ status: number; text: string; location: string | null }> {
    const answer = await fetch(this.baseUrl + path, { headers: { cookie: this.cookieHeader }, redirect: "manual" });
    this.remember(answer);
    return { status: answer.status, text: await answer.text(), location: answer.headers.get("location") };
  }

  async post(path: string, fields: Record<string, string>): Promise<{ status: number; text: string; location: string | null }> {
    const answer = await fetch(this.baseUrl + path, {
      method: "POST",
      headers: { cookie: this.cookieHeader, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
      redirect: "manual",
    });
    this.remember(answer);
    return { status: answer.status, text: await answer.text(), location: answer.headers.get("location") };
  }

  /** Opens the page, then posts its form with the page's CSRF token; fails unless the answer is a redirect. */
  async submit(pagePath: string, fields: Record<string, string>, action = pagePath): Promise<string> {
    const page = await this.get(pagePath);
    const answer = await this.post(action, { _csrf: csrfTokenIn(page.text), ...fields });
    if (answer.status !== 303 && answer.status !== 302) {
      throw new Error(`POST ${action} → ${answer.status} (attendu : une redirection)`);
    }
    return answer.location ?? "";
  }

  async logIn(email: string, password: string): Promise<void> {
    await this.submit("/connexion", { email, password });
    const home = await this.get("/connexion");
    // Logged in, /connexion sends to the person's home instead of showing the form.
    if (home.status !== 302 && home.status !== 303) throw new Error(`connexion refusée pour ${email}`);
  }
}

export function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("pas de jeton CSRF dans la page");
  return token;
}
