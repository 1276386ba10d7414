import { readLabelledTable } from '../../common/learning/labelled-csv.js';
import type { ToxicitySource } from '../classifier/toxicity-model.trainer.js';

const TEXT_COLUMNS = ['content', 'tweet', 'text'];
const LABEL_COLUMNS = ['class', 'label'];

/**
 * Reads a labelled CSV (RFC 4180, header row): the text column `CONTENT` (or the development
 * file's `tweet`, or `TEXT`), the label column `CLASS` (or `LABEL`), matched
 * case-insensitively; labels `0` hate, `1` offensive, `2` neither. Other columns are ignored.
 */
export function readToxicityCsv(path: string): ToxicitySource {
  const { name, sha256, header, records } = readLabelledTable(path, TEXT_COLUMNS, LABEL_COLUMNS);
  const voteIndex = ['hate_speech', 'offensive_language', 'neither'].map((h) => header.indexOf(h));
  const rows: { text: string; label: number; votes?: [number, number, number] }[] = [];
  for (const { text, label, record, line } of records) {
    const value = label.trim();
    if (value !== '0' && value !== '1' && value !== '2') {
      throw new Error(`${path}: row ${line}: class ${JSON.stringify(value)} is not 0, 1 or 2`);
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
  return { name, sha256, rows };
}
