import { makeModerationContext } from '../../test/factories/moderation-context.factory.js';
import { EVERYDAY_SHORT_COMMENTS } from '../../test/factories/everyday-short-comments.js';
import { ORDINARY_NEWS_COMMENTS } from '../../test/factories/ordinary-news-comments.js';
import { calibrate } from '../spam/spam-model.service.js';
import { resolveSettings } from '../sites/site-settings.js';
import { ToxicityClassifier } from '../toxicity/classifier/toxicity.classifier.js';
import { loadToxicityModel } from '../toxicity/model/toxicity-model.loader.js';
import { moderate } from './moderation.pipeline.js';

/**
 * Short, neutral, everyday comments and the suites' own bodies: with little evidence in them
 * the toxicity model falls back to its prior, which once held "Further down" and "This one
 * stays up." on post-moderated sites. Each must score below the hold threshold with the
 * shipped model and default settings, and publish.
 */
describe('everyday short comments are not held for toxicity', () => {
  const toxicity = ToxicityClassifier.load(loadToxicityModel());
  const settings = resolveSettings({ moderation: { mode: 'post' } });

  it('has a list worth the name, mostly new beside the news corpus', () => {
    expect(EVERYDAY_SHORT_COMMENTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(EVERYDAY_SHORT_COMMENTS).size).toBe(EVERYDAY_SHORT_COMMENTS.length);
    const fresh = EVERYDAY_SHORT_COMMENTS.filter((b) => !ORDINARY_NEWS_COMMENTS.includes(b));
    expect(fresh.length).toBeGreaterThanOrEqual(40);
  });

  it.each(EVERYDAY_SHORT_COMMENTS.map((body) => [body]))('%s', (body) => {
    const score = calibrate(toxicity.score(body).toxicity, toxicity.threshold);
    expect(score).toBeLessThan(settings.moderation.toxicityThreshold);
    expect(
      moderate(
        makeModerationContext({
          body,
          toxicity: score,
          settings: { moderation: { mode: 'post' } },
        }),
      ),
    ).toEqual({ status: 'approved', reasons: [expect.objectContaining({ code: 'mode-post' })] });
  });

  it('still holds the insults the toxicity tests hold', () => {
    for (const body of [
      'shut up you stupid hoe',
      'you stupid bitch',
      'what a worthless piece of sh1t',
    ]) {
      const score = calibrate(toxicity.score(body).toxicity, toxicity.threshold);
      expect(score).toBeGreaterThanOrEqual(settings.moderation.toxicityThreshold);
    }
  });
});
