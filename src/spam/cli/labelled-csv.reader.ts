import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readLabelledTable } from '../../common/learning/labelled-csv.js';

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
  const { name, sha256, records } = readLabelledTable(path, TEXT_COLUMNS, LABEL_COLUMNS);
  return {
    name,
    sha256,
    rows: records.map((r) => ({ text: r.text, label: parseLabel(r.label, path, r.line) })),
  };
}

/** Every `*.csv` of a directory, read in file-name order. */
export function readLabelledDirectory(dir: string): LabelledSource[] {
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => readLabelledCsv(join(dir, f)));
}
