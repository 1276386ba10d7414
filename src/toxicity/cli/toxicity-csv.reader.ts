import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { ToxicitySource } from '../classifier/toxicity-model.trainer.js';

const TEXT_COLUMNS = ['content', 'tweet', 'text'];
const LABEL_COLUMNS = ['class', 'label'];

/**
 * Reads a labelled CSV (RFC 4180, header row): the text column `CONTENT` (or the development
 * file's `tweet`, or `TEXT`), the label column `CLASS` (or `LABEL`), matched
 * case-insensitively; labels `0` hate, `1` offensive, `2` neither. Other columns are ignored.
 */
export function readToxicityCsv(path: string): ToxicitySource {
  const bytes = readFileSync(path);
  const records = parse(bytes, {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
  });
  const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const textIndex = header.findIndex((h) => TEXT_COLUMNS.includes(h));
  const labelIndex = header.findIndex((h) => LABEL_COLUMNS.includes(h));
  if (textIndex < 0 || labelIndex < 0) {
    throw new Error(`${path}: needs a CONTENT (or tweet, TEXT) and a CLASS column in its header`);
  }
  const voteIndex = ['hate_speech', 'offensive_language', 'neither'].map((h) => header.indexOf(h));
  const rows: { text: string; label: number; votes?: [number, number, number] }[] = [];
  for (let i = 1; i < records.length; i++) {
    const record = records[i] ?? [];
    const text = record[textIndex];
    const value = record[labelIndex]?.trim();
    if (text === undefined || value === undefined) continue;
    if (value !== '0' && value !== '1' && value !== '2') {
      throw new Error(`${path}: row ${i + 1}: class ${JSON.stringify(value)} is not 0, 1 or 2`);
    }
    const votes = voteIndex.map((j) => (j < 0 ? NaN : Number(record[j])));
    rows.push({
      text,
      label: Number(value),
      ...(votes.every((v) => Number.isInteger(v) && v >= 0)
        ? { votes: votes as [number, number, number] }
        : {}),
    });
  }
  return { name: basename(path), sha256: createHash('sha256').update(bytes).digest('hex'), rows };
}
