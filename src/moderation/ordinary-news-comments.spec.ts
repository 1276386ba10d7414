import { makeModerationContext } from '../../test/factories/moderation-context.factory.js';
import { ORDINARY_NEWS_COMMENTS } from '../../test/factories/ordinary-news-comments.js';
import { renderCommentBody } from '../comments/model/comment-renderer.js';
import { SpamClassifier } from '../spam/classifier/spam.classifier.js';
import { loadSpamModel } from '../spam/model/spam-model.loader.js';
import { calibrate } from '../spam/spam-model.service.js';
import { NO_FACTS, scoreSignals } from '../spam/spam-signals.js';
import { resolveSettings } from '../sites/site-settings.js';
import { ToxicityClassifier } from '../toxicity/classifier/toxicity.classifier.js';
import { loadToxicityModel } from '../toxicity/model/toxicity-model.loader.js';
import { moderate } from './moderation.pipeline.js';

/**
 * The regression corpus of ordinary news comments (numbers, dates, prices, percentages,
 * addresses, links to sources, quotes) through every filter as the workers run them, with
 * the shipped models and default settings: each must publish on a post-moderated site.
 */
describe('ordinary news comments publish in post mode under default settings', () => {
  const spam = SpamClassifier.load(loadSpamModel());
  const toxicity = ToxicityClassifier.load(loadToxicityModel());
  const settings = resolveSettings({ moderation: { mode: 'post' } });

  it('has a corpus worth the name', () => {
    expect(ORDINARY_NEWS_COMMENTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(ORDINARY_NEWS_COMMENTS.map((body) => [body]))('%s', (body) => {
    const classifier = spam.score(body);
    const verdict = scoreSignals(
      {
        body,
        bodyHtml: renderCommentBody(body),
        authorName: 'Reader',
        authorWebsite: null,
        honeypot: false,
        powVerified: null,
      },
      {
        ...NO_FACTS,
        classifier: {
          probability: calibrate(classifier.probability, spam.threshold),
          feedbackShift: 0,
        },
      },
      settings,
    );
    expect(verdict.score).toBeLessThan(settings.spam.holdThreshold);
    const decision = moderate(
      makeModerationContext({
        body,
        spamScore: verdict.score,
        toxicity: calibrate(toxicity.score(body).toxicity, toxicity.threshold),
        settings: { moderation: { mode: 'post' } },
      }),
    );
    expect(decision).toEqual({
      status: 'approved',
      reasons: [expect.objectContaining({ code: 'mode-post' })],
    });
  });
});
