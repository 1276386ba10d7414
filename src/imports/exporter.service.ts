import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import {
  CommentsBulkService,
  type ExportedComment,
} from '../comments/bulk/comments-bulk.service.js';
import { SitesService } from '../sites/sites.service.js';
import type { JsonlComment } from './parsers/jsonl.parser.js';

export type ExportFormat = 'jsonl' | 'wxr';

/** WordPress's `comment_approved` for each status (WordPress has no "rejected": trash). */
const WXR_STATUS: Record<string, string> = {
  approved: '1',
  pending: '0',
  held: '0',
  spam: 'spam',
  rejected: 'trash',
  deleted: 'trash',
};

/** One comment as a JSONL line: the same keys, in the same order, as the importer reads. */
export function toJsonl(c: ExportedComment): JsonlComment {
  return {
    id: c.id,
    articleId: c.articleId,
    parentId: c.parentId,
    status: c.status,
    createdAt: c.createdAt.toISOString(),
    publishedAt: c.publishedAt?.toISOString() ?? null,
    deletedAt: c.deletedAt?.toISOString() ?? null,
    featuredAt: c.featuredAt?.toISOString() ?? null,
    author: { name: c.authorName, email: c.email, website: c.website },
    body: c.body,
    bodyHtml: c.bodyHtml,
    spamScore: c.spamScore,
    spamReasons: c.spamReasons,
    moderationReasons: c.moderationReasons,
    source: c.source,
  };
}

/**
 * Writes every comment of a site (emails included: the operator's own data) as this
 * service's JSONL, which imports back unchanged, or as WordPress WXR 1.2.
 */
@Injectable()
export class ExporterService {
  constructor(
    private readonly bulk: CommentsBulkService,
    private readonly sites: SitesService,
  ) {}

  async run(siteId: string, format: ExportFormat, out: Writable): Promise<number> {
    await this.sites.get(siteId);
    const write = async (text: string) => {
      if (!out.write(text)) await once(out, 'drain');
    };
    let n = 0;
    if (format === 'jsonl') {
      for await (const c of this.bulk.exportSite(siteId)) {
        await write(`${JSON.stringify(toJsonl(c))}\n`);
        n++;
      }
      return n;
    }
    await write(
      '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" ' +
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" ' +
        'xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n' +
        `<title>${xml(siteId)}</title>\n<wp:wxr_version>1.2</wp:wxr_version>\n`,
    );
    let article: string | null = null;
    // WordPress comment ids are integers: numbered in the order written (parents first).
    const numbers = new Map<string, number>();
    for await (const c of this.bulk.exportSite(siteId)) {
      if (c.articleId !== article) {
        if (article !== null) await write('</item>\n');
        article = c.articleId;
        await write(
          `<item>\n<title>${xml(article)}</title>\n<link>/${xml(article)}/</link>\n` +
            `<wp:post_name>${xml(article)}</wp:post_name>\n<wp:post_type>post</wp:post_type>\n`,
        );
      }
      numbers.set(c.id, ++n);
      const date = c.createdAt.toISOString().slice(0, 19).replace('T', ' ');
      await write(
        `<wp:comment>\n<wp:comment_id>${n}</wp:comment_id>\n` +
          `<wp:comment_author>${cdata(c.authorName ?? '')}</wp:comment_author>\n` +
          `<wp:comment_author_email>${xml(c.email ?? '')}</wp:comment_author_email>\n` +
          `<wp:comment_author_url>${xml(c.website ?? '')}</wp:comment_author_url>\n` +
          `<wp:comment_date>${date}</wp:comment_date>\n` +
          `<wp:comment_date_gmt>${date}</wp:comment_date_gmt>\n` +
          `<wp:comment_content>${cdata(c.bodyHtml)}</wp:comment_content>\n` +
          `<wp:comment_approved>${WXR_STATUS[c.status]}</wp:comment_approved>\n` +
          `<wp:comment_type>comment</wp:comment_type>\n` +
          `<wp:comment_parent>${(c.parentId && numbers.get(c.parentId)) || 0}</wp:comment_parent>\n` +
          `</wp:comment>\n`,
      );
    }
    if (article !== null) await write('</item>\n');
    await write('</channel>\n</rss>\n');
    return n;
  }
}

/** Characters XML 1.0 does not allow at all. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function xml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** CDATA, split where the text itself contains `]]>`. */
function cdata(text: string): string {
  return `<![CDATA[${text.replace(NOT_XML, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
