import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLabelledCsv, readLabelledDirectory } from './labelled-csv.reader.js';

describe('readLabelledCsv', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spam-csv-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, body: string): string => {
    const path = join(dir, name);
    writeFileSync(path, body);
    return path;
  };

  it('reads CONTENT and CLASS, ignores other columns, and copes with quoting and a BOM', () => {
    const path = write(
      'a.csv',
      '\ufeffCOMMENT_ID,AUTHOR,CONTENT,CLASS\nx1,Ann,"Hello, world",0\nx2,Bob,"line one\nline ""two""",1\n',
    );
    const source = readLabelledCsv(path);
    expect(source.name).toBe('a.csv');
    expect(source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(source.rows).toEqual([
      { text: 'Hello, world', label: 0 },
      { text: 'line one\nline "two"', label: 1 },
    ]);
  });

  it('also reads TEXT with spam/ham labels, in any column order and case', () => {
    const path = write('b.csv', 'label,Text\nspam,win a prize\nHAM,see you later\n');
    expect(readLabelledCsv(path).rows).toEqual([
      { text: 'win a prize', label: 1 },
      { text: 'see you later', label: 0 },
    ]);
  });

  it('refuses a file without the needed columns or with an unknown label', () => {
    expect(() => readLabelledCsv(write('c.csv', 'ID,BODY\n1,hi\n'))).toThrow(/CONTENT/);
    expect(() => readLabelledCsv(write('d.csv', 'CONTENT,CLASS\nhi,maybe\n'))).toThrow(/label/);
  });

  it('reads every CSV of a directory in name order', () => {
    write('b.csv', 'CONTENT,CLASS\nb,0\n');
    write('a.csv', 'CONTENT,CLASS\na,1\n');
    write('notes.txt', 'not a csv');
    expect(readLabelledDirectory(dir).map((s) => s.name)).toEqual(['a.csv', 'b.csv']);
  });
});
