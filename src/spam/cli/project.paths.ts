import { fileURLToPath } from 'node:url';

/** The project root (this file is `src/spam/cli/…` or `dist/spam/cli/…`, three levels down). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The labelled training CSVs shipped with the project. */
export const TRAINING_DATA_DIR = fileURLToPath(new URL('../../../data/spam/', import.meta.url));
