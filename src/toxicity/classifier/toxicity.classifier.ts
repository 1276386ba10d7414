import type { FeatureVector } from '../../spam/classifier/feature.extractor.js';
import { sigmoid } from '../../spam/classifier/linear.scorer.js';
import { decodeLogFrequencies, dequantise } from './quantise.js';
import { toxicityFeatures } from './toxicity.features.js';
import type { ToxicityLabel, ToxicityModel } from './toxicity-model.types.js';

/** One lesson from a moderator: a comment's word and character ids, labelled. */
export interface ToxicityLesson {
  readonly featureSpace: string;
  readonly label: ToxicityLabel;
  /** Sorted, unique word and character feature ids of the comment. */
  readonly features: readonly number[];
}

/** A comment's toxicity, with its parts. */
export interface ToxicityScore {
  /** `1 − P(neither)`, lessons included, in [0, 1]. */
  readonly toxicity: number;
  /** P(hate), P(offensive), P(neither) of the shipped model alone. */
  readonly probabilities: readonly [number, number, number];
  /** `toxicity >= threshold`. */
  readonly held: boolean;
  /** Log-odds moderators' lessons added (negative towards clean). */
  readonly feedbackShift: number;
}

interface Base {
  readonly model: ToxicityModel;
  readonly hate: Float64Array;
  readonly offensive: Float64Array;
  /** ln(1 + document frequency) per id. */
  readonly logFrequency: Float32Array;
  readonly logDocuments: number;
}

const bases = new WeakMap<ToxicityModel, Base>();

function baseOf(model: ToxicityModel): Base {
  const cached = bases.get(model);
  if (cached) return cached;
  if (model.format !== 'comment-toxicity-model' || model.version !== 1) {
    throw new Error(`not a comment-toxicity-model v1 file (format ${String(model.format)})`);
  }
  const size = 2 ** model.features.bits;
  const base: Base = {
    model,
    hate: dequantise(model.weights[0], size),
    offensive: dequantise(model.weights[1], size),
    logFrequency: decodeLogFrequencies(model.documentFrequency.data, size),
    logDocuments: Math.log1p(model.documentFrequency.documents),
  };
  bases.set(model, base);
  return base;
}

/**
 * P(hate), P(offensive), P(neither) of a feature vector under weights stored relative to the
 * clean class (whose logit is 0).
 */
export function probabilitiesOf(
  hate: Float64Array,
  offensive: Float64Array,
  bias: readonly [number, number],
  features: FeatureVector,
): [number, number, number] {
  let z0 = bias[0];
  let z1 = bias[1];
  const { ids, values } = features;
  for (let i = 0; i < ids.length; i++) {
    const v = values[i] ?? 0;
    const id = ids[i] ?? 0;
    z0 += v * (hate[id] ?? 0);
    z1 += v * (offensive[id] ?? 0);
  }
  const max = Math.max(z0, z1, 0);
  const e0 = Math.exp(z0 - max);
  const e1 = Math.exp(z1 - max);
  const e2 = Math.exp(-max);
  const sum = e0 + e1 + e2;
  return [e0 / sum, e1 / sum, e2 / sum];
}

/** Sorted unique word and character ids of a feature vector (what lessons are counted on). */
function lessonIds(features: FeatureVector): number[] {
  const end = features.wordCount + features.charCount;
  const ids = new Set<number>();
  for (let i = 0; i < end; i++) ids.add(features.ids[i] ?? 0);
  return Array.from(ids).sort((a, b) => a - b);
}

/**
 * The toxicity classifier: the shipped three-class model (hate, offensive, neither) plus what
 * moderators taught it. Lessons work as the spam classifier's do: per-id counts of toxic and
 * clean lessons, each id's evidence `specificity × ln((toxic + s) / (clean + s))`, and a shift
 * of the comment's log-odds by `strength ×` its ids' mean evidence (clamped), so the sum of
 * the same lessons in any order scores the same on every replica.
 */
export class ToxicityClassifier {
  private readonly base: Base;
  private readonly toxicCounts = new Map<number, number>();
  private readonly cleanCounts = new Map<number, number>();
  private evidence: Float64Array | null = null;

  private constructor(base: Base) {
    this.base = base;
  }

  static load(model: ToxicityModel, lessons: Iterable<ToxicityLesson> = []): ToxicityClassifier {
    const classifier = new ToxicityClassifier(baseOf(model));
    for (const lesson of lessons) classifier.apply(lesson);
    return classifier;
  }

  get threshold(): number {
    return this.base.model.threshold;
  }

  get featureSpace(): string {
    return this.base.model.featureSpace;
  }

  /** The model's three probabilities and the (lesson-adjusted) toxicity of a text. */
  score(text: string): ToxicityScore {
    const features = toxicityFeatures(text, this.base.model.features);
    const { hate, offensive } = this.base;
    const probabilities = probabilitiesOf(hate, offensive, this.base.model.bias, features);
    const feedbackShift = this.feedbackShift(features);
    // log-odds of "not clean" = ln(e0 + e1) − ln(e2)
    const toxicity =
      feedbackShift === 0
        ? 1 - probabilities[2]
        : sigmoid(Math.log((1 - probabilities[2]) / probabilities[2]) + feedbackShift);
    return {
      toxicity,
      probabilities,
      held: toxicity >= this.base.model.threshold,
      feedbackShift,
    };
  }

  /** The lesson a moderator decision makes (to persist, then `apply` everywhere). */
  lessonFor(text: string, label: ToxicityLabel): ToxicityLesson {
    return {
      featureSpace: this.featureSpace,
      label,
      features: lessonIds(toxicityFeatures(text, this.base.model.features)),
    };
  }

  /** Adds a lesson to this instance. Lessons of another feature space are refused. */
  apply(lesson: ToxicityLesson): void {
    if (lesson.featureSpace !== this.featureSpace) {
      throw new Error(
        `toxicity lesson is for feature space ${lesson.featureSpace}, this model uses ${this.featureSpace}`,
      );
    }
    const counts = lesson.label === 'toxic' ? this.toxicCounts : this.cleanCounts;
    for (const f of lesson.features) counts.set(f, (counts.get(f) ?? 0) + 1);
    const { logFrequency, logDocuments } = this.base;
    const { smoothing } = this.base.model.feedback;
    const evidence = (this.evidence ??= new Float64Array(2 ** this.base.model.features.bits));
    for (const f of lesson.features) {
      const specificity = Math.max(0, 1 - (logFrequency[f] ?? 0) / logDocuments);
      evidence[f] =
        specificity *
        Math.log(
          ((this.toxicCounts.get(f) ?? 0) + smoothing) /
            ((this.cleanCounts.get(f) ?? 0) + smoothing),
        );
    }
  }

  private feedbackShift(features: FeatureVector): number {
    const evidence = this.evidence;
    if (!evidence) return 0;
    const { strength, maxShift } = this.base.model.feedback;
    const { ids, wordCount, charCount } = features;
    let words = 0;
    for (let i = 0; i < wordCount; i++) words += evidence[ids[i] ?? 0] ?? 0;
    let chars = 0;
    for (let i = wordCount; i < wordCount + charCount; i++) chars += evidence[ids[i] ?? 0] ?? 0;
    const groups = (wordCount > 0 ? 1 : 0) + (charCount > 0 ? 1 : 0);
    if (groups === 0) return 0;
    const mean =
      ((wordCount > 0 ? words / wordCount : 0) + (charCount > 0 ? chars / charCount : 0)) / groups;
    return Math.max(-maxShift, Math.min(maxShift, strength * mean));
  }
}
