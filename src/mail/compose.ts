/**
 * Mails are written once as a list of paragraphs and links, and rendered both
 * as plain text and as simple HTML, so the two never drift apart.
 */
export type MailBlock = string | { link: string; label: string };

export interface MailContent {
  subject: string;
  blocks: MailBlock[];
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const SIGNATURE = "Le Département de la Seine-Saint-Denis";

export function escapeHtml(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

export function renderMail(content: MailContent): RenderedMail {
  const blocks = [...content.blocks, "Bien cordialement,", SIGNATURE];
  const text = blocks.map((block) => (typeof block === "string" ? block : `${block.label} :\n${block.link}`)).join("\n\n");
  const htmlBlocks = blocks
    .map((block) =>
      typeof block === "string"
        ? `<p>${escapeHtml(block)}</p>`
        : `<p><a href="${escapeHtml(block.link)}">${escapeHtml(block.label)}</a><br>` +
          `<span style="font-size:14px">Si le lien ne s'ouvre pas, copiez cette adresse dans votre navigateur : ${escapeHtml(block.link)}</span></p>`,
    )
    .join("\n");
  const html =
    `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>` +
    `<body style="font-family:Arial,sans-serif;font-size:18px;line-height:1.5;color:#1e1e1e">${htmlBlocks}</body></html>`;
  return { subject: content.subject, text, html };
}
