import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { calibrate } from '../spam/spam-model.service.js';
import { ToxicityClassifier } from './classifier/toxicity.classifier.js';
import type { ToxicityLabel, ToxicityModel } from './classifier/toxicity-model.types.js';
import { loadToxicityModel } from './model/toxicity-model.loader.js';
import { ToxicityFeedbackRepository } from './toxicity-feedback.repository.js';

/** How often a worker re-reads what moderators taught (from every replica). */
const REFRESH_MS = 15_000;

/**
 * The shipped toxicity model plus moderators' lessons. The model ships in models/; lessons
 * live in PostgreSQL (toxicity_feedback) and are re-read at start and every 15 s, so every
 * worker replica converges on the same state and a restart loses nothing.
 */
@Injectable()
export class ToxicityModelService implements OnApplicationBootstrap, OnApplicationShutdown {
  private model: ToxicityModel | undefined;
  private base: ToxicityClassifier | undefined;
  private current: Promise<ToxicityClassifier> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly feedback: ToxicityFeedbackRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(ToxicityModelService.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return; // the api only records lessons
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  classifier(): Promise<ToxicityClassifier> {
    this.current ??= this.build();
    return this.current;
  }

  /**
   * A comment's toxicity, calibrated so that 0.5 is the model's operating threshold (site
   * thresholds read the same for any model), lessons included.
   */
  async score(text: string): Promise<number> {
    const classifier = await this.classifier();
    return calibrate(classifier.score(text).toxicity, classifier.threshold);
  }

  /** Records a moderator's lesson in the caller's transaction (call `refresh` after commit). */
  async record(
    manager: EntityManager,
    commentId: string,
    text: string,
    label: ToxicityLabel,
  ): Promise<void> {
    this.model ??= loadToxicityModel();
    this.base ??= ToxicityClassifier.load(this.model);
    const lesson = this.base.lessonFor(text, label);
    await this.feedback.upsert(manager, {
      commentId,
      label,
      featureSpace: lesson.featureSpace,
      features: lesson.features,
    });
  }

  /** Rebuilds the classifier from the model and every stored lesson. */
  async refresh(): Promise<void> {
    const next = this.build();
    await next;
    this.current = next;
  }

  private async build(): Promise<ToxicityClassifier> {
    try {
      const model = (this.model ??= loadToxicityModel());
      const rows = await this.feedback.findAll(model.featureSpace);
      return ToxicityClassifier.load(
        model,
        rows.map((r) => ({
          featureSpace: model.featureSpace,
          label: r.label,
          features: r.features,
        })),
      );
    } catch (error) {
      this.logger.error({ err: error }, 'Could not load the toxicity classifier');
      this.current = undefined;
      throw error;
    }
  }
}
