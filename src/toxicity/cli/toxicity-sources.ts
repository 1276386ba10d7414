import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToxicitySource } from '../classifier/toxicity-model.trainer.js';
import { readCleanTextCsv } from './clean-text.reader.js';

/**
 * Where the everyday clean training text comes from: the legitimate comments of the YouTube
 * Spam Collection that trains the spam model (`data/spam/`, read, never changed).
 */
export const CLEAN_TEXT_DIR = fileURLToPath(new URL('../../../data/spam/', import.meta.url));

/** The `*.csv` files of a folder, in file-name order. */
export function csvFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => join(dir, f));
}

/** The auxiliary clean sources (`readCleanTextCsv` of every CSV in `dir`). */
export function readCleanTextSources(dir: string = CLEAN_TEXT_DIR): ToxicitySource[] {
  return csvFilesIn(dir).map((f) => readCleanTextCsv(f));
}
