import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';

/** One labelled comment read from a CSV file. */
export interface LabelledRow {
  readonly text: string;
  /** 1 = spam, 0 = ham. */
  readonly label: 0 | 1;
}

/** A labelled CSV file: its rows and the SHA-256 of its bytes. */
export interface LabelledSource {
  readonly name: string;
  readonly sha256: string;
  readonly rows: readonly LabelledRow[];
}

const TEXT_COLUMNS = ['content', 'text'];
const LABEL_COLUMNS = ['class', 'label'];

function parseLabel(value: string, file: string, line: number): 0 | 1 {
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'spam') return 1;
  if (v === '0' || v === 'ham') return 0;
  throw new Error(
    `${file}: row ${line}: label ${JSON.stringify(value)} is neither 1/spam nor 0/ham`,
  );
}

/**
 * Reads a labelled CSV (RFC 4180, header row). The text column is `CONTENT` (or `TEXT`), the
 * label column `CLASS` (or `LABEL`), matched case-insensitively; `1`/`spam` is spam, `0`/`ham`
 * is ham. Every other column (ids, authors, dates) is ignored.
 */
export function readLabelledCsv(path: string): LabelledSource {
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
    throw new Error(
      `${path}: needs a CONTENT (or TEXT) and a CLASS (or LABEL) column in its header`,
    );
  }
  const rows: LabelledRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const record = records[i] ?? [];
    const text = record[textIndex];
    const label = record[labelIndex];
    if (text === undefined || label === undefined) continue;
    rows.push({ text, label: parseLabel(label, path, i + 1) });
  }
  return { name: basename(path), sha256: createHash('sha256').update(bytes).digest('hex'), rows };
}

/** Every `*.csv` of a directory, read in file-name order. */
export function readLabelledDirectory(dir: string): LabelledSource[] {
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => readLabelledCsv(join(dir, f)));
}
