import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { EntityManager } from 'typeorm';
import { PerSiteClassifiers } from '../common/learning/per-site-classifiers.js';
import { PeriodicTasks } from '../common/schedule/periodic-tasks.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { learnedStateFromDeltas, SpamClassifier } from './classifier/spam.classifier.js';
import type { FeedbackLabel, SpamModel } from './classifier/spam-model.types.js';
import { loadSpamModel } from './model/spam-model.loader.js';
import { SpamFeedbackRepository, type FeedbackRow } from './spam-feedback.repository.js';

/** How often a worker re-reads what moderators taught (from every replica). */
const REFRESH_MS = 15_000;

export interface ClassifierVerdict {
  /** Calibrated: 0.5 is the model's own decision threshold. */
  probability: number;
  /** Log-odds moderators' feedback added. */
  feedbackShift: number;
}

/**
 * The trained classifier plus moderators' feedback. The model ships in models/; the learned
 * state lives in PostgreSQL (spam_feedback) and is rebuilt from it at start and every 15 s,
 * so every worker replica converges on the same state and a restart loses nothing.
 */
@Injectable()
export class SpamModelService implements OnApplicationBootstrap {
  private model: SpamModel | undefined;
  /** The model without lessons: enough to turn a text into features. */
  private base: SpamClassifier | undefined;
  private readonly classifiers = new PerSiteClassifiers<SpamClassifier, FeedbackRow>({
    lessons: () => this.feedback.findAll(this.loadModel().featureSpace),
    base: () => SpamClassifier.load(this.loadModel()),
    withLessons: (lessons) => {
      const model = this.loadModel();
      const state = learnedStateFromDeltas(
        model.featureSpace,
        lessons.map((r) => ({
          featureSpace: model.featureSpace,
          label: r.label,
          weight: 1 as const,
          features: r.features,
        })),
      );
      return SpamClassifier.load(model, state);
    },
    onError: (error) => this.logger.error({ err: error }, 'Could not load the spam classifier'),
  });

  constructor(
    private readonly feedback: SpamFeedbackRepository,
    private readonly tasks: PeriodicTasks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(SpamModelService.name) private readonly logger: PinoLogger,
  ) {}

  /** How many times the classifiers were rebuilt from the table (a bulk decision: once). */
  get rebuilds(): number {
    return this.classifiers.rebuilds;
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return; // the api only records feedback
    // A failed rebuild was logged; the next use or refresh tries again.
    this.tasks.every('spam-lessons', REFRESH_MS, () =>
      this.classifiers.refresh().catch(() => undefined),
    );
  }

  /** The classifier of a site: the model plus what the site's moderators taught it. */
  classifier(siteId: string): Promise<SpamClassifier> {
    return this.classifiers.forSite(siteId);
  }

  /**
   * Scores a comment's text for a site; the probability is calibrated so that 0.5 is the
   * model's threshold. Lessons taught on other sites do not count.
   */
  async score(text: string, siteId: string): Promise<ClassifierVerdict> {
    const classifier = await this.classifier(siteId);
    const result = classifier.score(text);
    return {
      probability: calibrate(result.probability, classifier.threshold),
      feedbackShift: result.feedbackShift,
    };
  }

  /**
   * Records a moderator's lesson in the caller's transaction (call `refresh` after commit).
   * Needs no other database connection: the features come from the model alone, so a
   * transaction never waits on the pool it holds a connection of.
   */
  async record(
    manager: EntityManager,
    commentId: string,
    siteId: string,
    text: string,
    label: FeedbackLabel,
  ): Promise<void> {
    this.base ??= SpamClassifier.load(this.loadModel());
    const delta = this.base.feedbackFor(text, label);
    await this.feedback.upsert(manager, {
      commentId,
      siteId,
      label,
      featureSpace: delta.featureSpace,
      features: delta.features,
    });
  }

  /** Rebuilds the classifiers from the model and every stored lesson. */
  refresh(): Promise<void> {
    return this.classifiers.refresh();
  }

  private loadModel(): SpamModel {
    return (this.model ??= loadSpamModel());
  }
}

/** Moves the model's threshold to 0.5, so site thresholds read the same for any model. */
export function calibrate(probability: number, threshold: number): number {
  const clamp = (p: number) => Math.min(1 - 1e-9, Math.max(1e-9, p));
  const logit = (p: number) => Math.log(clamp(p) / (1 - clamp(p)));
  return 1 / (1 + Math.exp(-(logit(probability) - logit(threshold))));
}
