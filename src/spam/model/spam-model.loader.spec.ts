import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readLabelledDirectory } from '../cli/labelled-csv.reader.js';
import { TRAINING_DATA_DIR } from '../cli/project.paths.js';
import {
  DEFAULT_TRAINING_CONFIG,
  featureSpaceOf,
  trainingConfigOf,
  trainSpamModel,
} from '../classifier/spam-model.trainer.js';
import { DEFAULT_SPAM_MODEL_PATH, loadSpamModel } from './spam-model.loader.js';

describe('the shipped spam model', () => {
  const model = loadSpamModel();

  it('loads from models/spam-model.json and stays far below 50 MB', () => {
    expect(DEFAULT_SPAM_MODEL_PATH.endsWith('/models/spam-model.json')).toBe(true);
    expect(model.format).toBe('comment-spam-model');
    expect(statSync(DEFAULT_SPAM_MODEL_PATH).size).toBeLessThan(5 * 1024 * 1024);
  });

  it('matches the code: same feature space and the default training settings', () => {
    expect(model.featureSpace).toBe(featureSpaceOf(model.features));
    expect(trainingConfigOf(model)).toEqual(DEFAULT_TRAINING_CONFIG);
  });

  it('was trained on exactly the CSV files shipped in data/spam', () => {
    const shipped = readLabelledDirectory(TRAINING_DATA_DIR);
    expect(model.training.sources.map((s) => [s.name, s.sha256])).toEqual(
      shipped.map((s) => [s.name, s.sha256]),
    );
  });

  it('is reproduced byte for byte by retraining on data/spam (what npm run spam:train does)', () => {
    const sources = readLabelledDirectory(TRAINING_DATA_DIR).map((s) => ({
      ...s,
      weight: 1,
      holdOut: true,
    }));
    const json = `${JSON.stringify(trainSpamModel(sources, DEFAULT_TRAINING_CONFIG))}\n`;
    const onDisk = readFileSync(DEFAULT_SPAM_MODEL_PATH, 'utf8');
    expect(createHash('sha256').update(json).digest('hex')).toBe(
      createHash('sha256').update(onDisk).digest('hex'),
    );
  }, 60_000);

  it('rejects a file that is not a spam model', () => {
    expect(() => loadSpamModel(new URL(import.meta.url).pathname)).toThrow();
  });
});
