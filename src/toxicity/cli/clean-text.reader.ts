import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { ToxicitySource } from '../classifier/toxicity-model.trainer.js';
import { prepareToxicityText } from '../classifier/toxicity.features.js';
import { CLEAN } from '../classifier/toxicity-model.types.js';

/**
 * Words that keep a "legitimate" (ham) comment of the spam corpus out of the toxicity model's
 * clean class: the spam collection is labelled for spam, not abuse, and many of its ham
 * comments swear or insult ("… this shit", "She's an old Whore!"). Matched on the text as the
 * toxicity model reads it (entities decoded, leetspeak read as letters, lower case), as the
 * start of a word, so "fucking", "shitty" and "stupidity" count too. Deliberately broad: a
 * clean comment lost here costs little, an abusive one taught as clean costs recall.
 */
export const NOT_CLEAN_ENOUGH =
  /\b(?:fuck|fuk|fck|wtf|stfu|shit|bitch|dick|cock|cunt|pussy|whore|slut|hoe\b|ass\b|asses|asshole|arse|bastard|damn|crap|suck|nigg|fag|gay|retard|gook|jap\b|chink|spic|kike|twat|wank|idiot|stupid|dumb|moron|fool|loser|ugly|hate|kill|die\b|sexy|sex|porn|nude|naked|hell\b|screw|piss|bloody|jerk|freak|scum|trash|garbage)/i;

/**
 * Reads the legitimate comments of a spam-labelled CSV (`CONTENT,CLASS`, `CLASS` 0 ham, 1
 * spam; the YouTube Spam Collection in `data/spam/`) as clean (class 2) training text for the
 * toxicity model, leaving out spam and every ham row `NOT_CLEAN_ENOUGH` matches. The source is
 * `auxiliary`: trained on, never scored.
 */
export function readCleanTextCsv(path: string): ToxicitySource & { readonly excluded: number } {
  const bytes = readFileSync(path);
  const records = parse(bytes, {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
  });
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const textIndex = header.indexOf('content');
  const labelIndex = header.indexOf('class');
  if (textIndex < 0 || labelIndex < 0) {
    throw new Error(`${path}: needs a CONTENT and a CLASS column in its header`);
  }
  const rows: { text: string; label: number }[] = [];
  let excluded = 0;
  for (let i = 1; i < records.length; i++) {
    const record = records[i] ?? [];
    const text = record[textIndex];
    if (text === undefined || record[labelIndex]?.trim() !== '0') continue;
    if (NOT_CLEAN_ENOUGH.test(prepareToxicityText(text))) excluded++;
    else rows.push({ text, label: CLEAN });
  }
  return {
    name: `${basename(path)} (ham)`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    rows,
    auxiliary: true,
    excluded,
  };
}
