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
import {
  ToxicityFeedbackRepository,
  type ToxicityFeedbackRow,
} from './toxicity-feedback.repository.js';

interface Classifiers {
  base: ToxicityClassifier;
  bySite: Map<string, ToxicityClassifier>;
}

/** How often a worker re-reads what moderators taught (from every replica). */
const REFRESH_MS = 15_000;

/**
 * The shipped toxicity model plus moderators' lessons. The model ships in models/; lessons
 * live in PostgreSQL (toxicity_feedback) and are re-read at start and every 15 s, so every
 * worker replica converges on the same state and a restart loses nothing. A lesson counts on
 * the site whose moderator taught it only (as spam lessons do).
 */
@Injectable()
export class ToxicityModelService implements OnApplicationBootstrap, OnApplicationShutdown {
  private model: ToxicityModel | undefined;
  /** The model without lessons: enough to turn a text into features. */
  private base: ToxicityClassifier | undefined;
  /** Per site: the model plus that site's lessons (sites without lessons use the model alone). */
  private current: Promise<Classifiers> | undefined;
  /** How many times the classifiers were rebuilt from the table (a bulk decision: once). */
  rebuilds = 0;
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

  /** The classifier of a site: the model plus what the site's moderators taught it. */
  async classifier(siteId: string): Promise<ToxicityClassifier> {
    this.current ??= this.build();
    const classifiers = await this.current;
    return classifiers.bySite.get(siteId) ?? classifiers.base;
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
    this.model ??= loadToxicityModel();
    this.base ??= ToxicityClassifier.load(this.model);
    const lesson = this.base.lessonFor(text, label);
    await this.feedback.upsert(manager, {
      commentId,
      siteId,
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

  private async build(): Promise<Classifiers> {
    try {
      this.rebuilds++;
      const model = (this.model ??= loadToxicityModel());
      const rows = await this.feedback.findAll(model.featureSpace);
      const perSite = new Map<string, ToxicityFeedbackRow[]>();
      for (const row of rows) {
        if (row.siteId === null) continue; // a lesson of no known site applies nowhere
        const list = perSite.get(row.siteId) ?? [];
        list.push(row);
        perSite.set(row.siteId, list);
      }
      const bySite = new Map<string, ToxicityClassifier>();
      for (const [siteId, lessons] of perSite) {
        bySite.set(
          siteId,
          ToxicityClassifier.load(
            model,
            lessons.map((r) => ({
              featureSpace: model.featureSpace,
              label: r.label,
              features: r.features,
            })),
          ),
        );
      }
      return { base: ToxicityClassifier.load(model), bySite };
    } catch (error) {
      this.logger.error({ err: error }, 'Could not load the toxicity classifier');
      this.current = undefined;
      throw error;
    }
  }
}
