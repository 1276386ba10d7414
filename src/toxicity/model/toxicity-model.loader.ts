import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ToxicityModel } from '../classifier/toxicity-model.types.js';

/**
 * Where the shipped model lives: `models/toxicity-model.json` at the project root (this file is
 * `src/toxicity/model/` or `dist/toxicity/model/`, three levels below it), like the spam model.
 */
export const DEFAULT_TOXICITY_MODEL_PATH = fileURLToPath(
  new URL('../../../models/toxicity-model.json', import.meta.url),
);

/** The labelled training data shipped with the project. */
export const TOXICITY_DATA_DIR = fileURLToPath(new URL('../../../data/toxicity/', import.meta.url));

/** Reads and parses a toxicity model file (synchronously; call once at start-up). */
export function loadToxicityModel(path: string = DEFAULT_TOXICITY_MODEL_PATH): ToxicityModel {
  const model = JSON.parse(readFileSync(path, 'utf8')) as ToxicityModel;
  if (model.format !== 'comment-toxicity-model' || model.version !== 1) {
    throw new Error(`${path} is not a comment-toxicity-model v1 file`);
  }
  return model;
}
