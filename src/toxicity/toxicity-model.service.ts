import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { EntityManager } from 'typeorm';
import { PerSiteClassifiers } from '../common/learning/per-site-classifiers.js';
import { PeriodicTasks } from '../common/schedule/periodic-tasks.js';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { calibrate } from '../spam/spam-model.service.js';
import { ToxicityClassifier } from './classifier/toxicity.classifier.js';
import type { ToxicityLabel, ToxicityModel } from './classifier/toxicity-model.types.js';
import { loadToxicityModel } from './model/toxicity-model.loader.js';
import {
  ToxicityFeedbackRepository,
  type ToxicityFeedbackRow,
} from './toxicity-feedback.repository.js';

/** How often a worker re-reads what moderators taught (from every replica). */
const REFRESH_MS = 15_000;

/**
 * The shipped toxicity model plus moderators' lessons. The model ships in models/; lessons
 * live in PostgreSQL (toxicity_feedback) and are re-read at start and every 15 s, so every
 * worker replica converges on the same state and a restart loses nothing. A lesson counts on
 * the site whose moderator taught it only (as spam lessons do).
 */
@Injectable()
export class ToxicityModelService implements OnApplicationBootstrap {
  private model: ToxicityModel | undefined;
  /** The model without lessons: enough to turn a text into features. */
  private base: ToxicityClassifier | undefined;
  private readonly classifiers = new PerSiteClassifiers<ToxicityClassifier, ToxicityFeedbackRow>({
    lessons: () => this.feedback.findAll(this.loadModel().featureSpace),
    base: () => ToxicityClassifier.load(this.loadModel()),
    withLessons: (lessons) => {
      const model = this.loadModel();
      return ToxicityClassifier.load(
        model,
        lessons.map((r) => ({
          featureSpace: model.featureSpace,
          label: r.label,
          features: r.features,
        })),
      );
    },
    onError: (error) => this.logger.error({ err: error }, 'Could not load the toxicity classifier'),
  });

  constructor(
    private readonly feedback: ToxicityFeedbackRepository,
    private readonly tasks: PeriodicTasks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(ToxicityModelService.name) private readonly logger: PinoLogger,
  ) {}

  /** How many times the classifiers were rebuilt from the table (a bulk decision: once). */
  get rebuilds(): number {
    return this.classifiers.rebuilds;
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return; // the api only records lessons
    // A failed rebuild was logged; the next use or refresh tries again.
    this.tasks.every('toxicity-lessons', REFRESH_MS, () =>
      this.classifiers.refresh().catch(() => undefined),
    );
  }

  /** The classifier of a site: the model plus what the site's moderators taught it. */
  classifier(siteId: string): Promise<ToxicityClassifier> {
    return this.classifiers.forSite(siteId);
  }

  /**
   * A comment's toxicity on a site, calibrated so that 0.5 is the model's operating threshold
   * (site thresholds read the same for any model), the site's lessons included. Lessons taught
   * on other sites do not count.
   */
  async score(text: string, siteId: string): Promise<number> {
    const classifier = await this.classifier(siteId);
    return calibrate(classifier.score(text).toxicity, classifier.threshold);
  }

  /** Records a moderator's lesson in the caller's transaction (call `refresh` after commit). */
  async record(
    manager: EntityManager,
    commentId: string,
    siteId: string,
    text: string,
    label: ToxicityLabel,
  ): Promise<void> {
    this.base ??= ToxicityClassifier.load(this.loadModel());
    const lesson = this.base.lessonFor(text, label);
    await this.feedback.upsert(manager, {
      commentId,
      siteId,
      label,
      featureSpace: lesson.featureSpace,
      features: lesson.features,
    });
  }

  /** Rebuilds the classifiers from the model and every stored lesson. */
  refresh(): Promise<void> {
    return this.classifiers.refresh();
  }

  private loadModel(): ToxicityModel {
    return (this.model ??= loadToxicityModel());
  }
}
