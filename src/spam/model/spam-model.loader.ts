import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SpamModel } from '../classifier/spam-model.types.js';

/**
 * Where the shipped model lives: `models/spam-model.json` at the project root. This file sits
 * at `src/spam/model/` (Jest, ts sources) or `dist/spam/model/` (compiled), both three levels
 * below the root, so the same relative URL works for both. Deployments copy `models/` next to
 * `dist/` (the model is data, not code, so `tsc` does not copy it).
 */
export const DEFAULT_SPAM_MODEL_PATH = fileURLToPath(
  new URL('../../../models/spam-model.json', import.meta.url),
);

/** Reads and parses a spam model file (synchronously; call once at start-up). */
export function loadSpamModel(path: string = DEFAULT_SPAM_MODEL_PATH): SpamModel {
  const model = JSON.parse(readFileSync(path, 'utf8')) as SpamModel;
  if (model.format !== 'comment-spam-model' || model.version !== 1) {
    throw new Error(`${path} is not a comment-spam-model v1 file`);
  }
  return model;
}
