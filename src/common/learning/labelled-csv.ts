import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';

/** One data row of a labelled CSV: its text, its raw label, the whole record and its line. */
export interface LabelledRecord {
  readonly text: string;
  readonly label: string;
  readonly record: readonly string[];
  readonly line: number;
}

export interface LabelledTable {
  readonly name: string;
  /** SHA-256 of the file's bytes (reports name the exact data they were made from). */
  readonly sha256: string;
  /** The header, trimmed and lower-cased. */
  readonly header: readonly string[];
  readonly records: readonly LabelledRecord[];
}

/**
 * Reads a labelled CSV (RFC 4180, header row) for training and evaluation: the text column is
 * the first of `textColumns`, the label column the first of `labelColumns` (matched
 * case-insensitively). Rows without either are skipped; every other column is kept in
 * `record` for the caller.
 */
export function readLabelledTable(
  path: string,
  textColumns: readonly string[],
  labelColumns: readonly string[],
): LabelledTable {
  const bytes = readFileSync(path);
  const rows: string[][] = parse(bytes, {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
  });
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const textIndex = header.findIndex((h) => textColumns.includes(h));
  const labelIndex = header.findIndex((h) => labelColumns.includes(h));
  if (textIndex < 0 || labelIndex < 0) {
    throw new Error(
      `${path}: needs a ${names(textColumns)} and a ${names(labelColumns)} column in its header`,
    );
  }
  const records: LabelledRecord[] = [];
  for (let i = 1; i < rows.length; i++) {
    const record = rows[i] ?? [];
    const text = record[textIndex];
    const label = record[labelIndex];
    if (text === undefined || label === undefined) continue;
    records.push({ text, label, record, line: i + 1 });
  }
  return {
    name: basename(path),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    header,
    records,
  };
}

function names(columns: readonly string[]): string {
  return columns.map((c) => c.toUpperCase()).join(' or ');
}
