// Over 300 lines on purpose: the loaded model, learned state and scoring are one pure unit,
// kept together so the arithmetic can be read (and mutation-tested) in one place.
import { extractFeatures, type FeatureVector } from './feature.extractor.js';
import { sigmoid } from './linear.scorer.js';
import type {
  FeedbackDelta,
  FeedbackLabel,
  LearnedState,
  SparseColumn,
  SpamModel,
} from './spam-model.types.js';

/** Thrown when learned state or a delta was computed for another feature space (model). */
export class FeatureSpaceMismatchError extends Error {
  constructor(expected: string, actual: string) {
    super(`spam feedback is for feature space ${actual}, this model uses ${expected}`);
    this.name = 'FeatureSpaceMismatchError';
  }
}

/** A comment's score, with its parts. */
export interface SpamScore {
  /** P(spam) in [0, 1], feedback included. */
  readonly probability: number;
  /** `probability >= threshold`. */
  readonly spam: boolean;
  /** P(spam) of the shipped model alone. */
  readonly baseProbability: number;
  /** Log-odds added by moderator feedback (0 without feedback; negative towards ham). */
  readonly feedbackShift: number;
}

/** The immutable part of a loaded model, shared by every classifier built from it. */
interface Base {
  readonly model: SpamModel;
  readonly weights: Float64Array;
  readonly documentFrequency: Map<number, number>;
  /** ln(1 + training documents): the document frequency at which specificity reaches 0. */
  readonly logDocuments: number;
}

const bases = new WeakMap<SpamModel, Base>();

function expand(column: SparseColumn, visit: (id: number, value: number) => void): void {
  let id = 0;
  const { idGaps, values } = column;
  for (let i = 0; i < idGaps.length; i++) {
    id += idGaps[i] ?? 0;
    visit(id, values[i] ?? 0);
  }
}

function baseOf(model: SpamModel): Base {
  const cached = bases.get(model);
  if (cached) return cached;
  if (model.format !== 'comment-spam-model' || model.version !== 1) {
    throw new Error(`not a comment-spam-model v1 file (format ${String(model.format)})`);
  }
  const weights = new Float64Array(2 ** model.features.bits);
  expand(model.weights, (id, value) => {
    weights[id] = value;
  });
  const documentFrequency = new Map<number, number>();
  expand(model.documentFrequency, (id, value) => {
    documentFrequency.set(id, value);
  });
  const base = {
    model,
    weights,
    documentFrequency,
    logDocuments: Math.log1p(model.documentFrequency.documents),
  };
  bases.set(model, base);
  return base;
}

/** Sorted unique word and character ids of a feature vector (what feedback is counted on). */
function feedbackIds(features: FeatureVector): number[] {
  const end = features.wordCount + features.charCount;
  const ids = new Set<number>();
  for (let i = 0; i < end; i++) ids.add(features.ids[i] ?? 0);
  return Array.from(ids).sort((a, b) => a - b);
}

/** An empty learned state for a model's feature space. */
export function emptyLearnedState(featureSpace: string): LearnedState {
  return { featureSpace, spamExamples: 0, hamExamples: 0, counts: [] };
}

/** The delta that withdraws `delta` (for a moderator who changes their mind). */
export function retraction(delta: FeedbackDelta): FeedbackDelta {
  return { ...delta, weight: delta.weight === 1 ? -1 : 1 };
}

/** The learned state that is the sum of `deltas` (in any order). */
export function learnedStateFromDeltas(
  featureSpace: string,
  deltas: Iterable<FeedbackDelta>,
): LearnedState {
  const counts = new LearnedCounts(featureSpace);
  for (const delta of deltas) counts.add(delta);
  return counts.snapshot();
}

/** Mutable sum of feedback deltas: per-feature counts in growable typed arrays. */
class LearnedCounts {
  spamExamples = 0;
  hamExamples = 0;
  /** feature → slot in the arrays below */
  private readonly slots = new Map<number, number>();
  private features = new Uint32Array(1024);
  private spam = new Float64Array(1024);
  private ham = new Float64Array(1024);

  constructor(readonly featureSpace: string) {}

  /** `[spam, ham]` counts of a feature. */
  countsOf(feature: number): [number, number] {
    const slot = this.slots.get(feature);
    return slot === undefined ? [0, 0] : [this.spam[slot] ?? 0, this.ham[slot] ?? 0];
  }

  private check(featureSpace: string): void {
    if (featureSpace !== this.featureSpace) {
      throw new FeatureSpaceMismatchError(this.featureSpace, featureSpace);
    }
  }

  private slotOf(feature: number): number {
    let slot = this.slots.get(feature);
    if (slot === undefined) {
      slot = this.slots.size;
      if (slot >= this.features.length) {
        const size = this.features.length * 2;
        const grow = <T extends Uint32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
        this.features = grow(this.features, new Uint32Array(size));
        this.spam = grow(this.spam, new Float64Array(size));
        this.ham = grow(this.ham, new Float64Array(size));
      }
      this.slots.set(feature, slot);
      this.features[slot] = feature;
    }
    return slot;
  }

  add(delta: FeedbackDelta): void {
    this.check(delta.featureSpace);
    const w = delta.weight;
    const isSpam = delta.label === 'spam';
    if (isSpam) this.spamExamples += w;
    else this.hamExamples += w;
    for (const f of delta.features) {
      const slot = this.slotOf(f);
      const counts = isSpam ? this.spam : this.ham; // after slotOf, which may grow the arrays
      counts[slot] = (counts[slot] ?? 0) + w;
    }
  }

  merge(state: LearnedState): void {
    this.check(state.featureSpace);
    this.spamExamples += state.spamExamples;
    this.hamExamples += state.hamExamples;
    for (const [f, spam, ham] of state.counts) {
      const slot = this.slotOf(f);
      this.spam[slot] = (this.spam[slot] ?? 0) + spam;
      this.ham[slot] = (this.ham[slot] ?? 0) + ham;
    }
  }

  snapshot(): LearnedState {
    const counts: (readonly [number, number, number])[] = [];
    for (let slot = 0; slot < this.slots.size; slot++) {
      const s = this.spam[slot] ?? 0;
      const h = this.ham[slot] ?? 0;
      if (s !== 0 || h !== 0) counts.push([this.features[slot] ?? 0, s, h]);
    }
    counts.sort((a, b) => a[0] - b[0]);
    return {
      featureSpace: this.featureSpace,
      spamExamples: this.spamExamples,
      hamExamples: this.hamExamples,
      counts,
    };
  }
}

function isDelta(change: FeedbackDelta | LearnedState): change is FeedbackDelta {
  return 'label' in change;
}

/**
 * The spam classifier: the shipped logistic-regression model plus what moderators taught it.
 *
 * Scoring reads the comment text only. Learning is additive: each moderator decision is a
 * `FeedbackDelta` (one example's word and character feature ids with its label), the learned
 * state is the sum of the deltas, and the classifier adds to the base model's log-odds a
 * shift computed from that sum — so replicas that applied the same deltas, in any order,
 * score identically.
 */
export class SpamClassifier {
  private readonly base: Base;
  private readonly learned: LearnedCounts;
  /** Per-feature feedback evidence (see `feedbackShift`); allocated with the first feedback. */
  private evidence: Float64Array | null = null;

  private constructor(base: Base, learned: LearnedCounts) {
    this.base = base;
    this.learned = learned;
  }

  /**
   * A classifier for `model`, with `learned` state applied (from PostgreSQL, see docs). The
   * model's weights are expanded once per model object and shared, so building a fresh
   * classifier from the same model to swap in a newer learned state is cheap.
   */
  static load(model: SpamModel, learned?: LearnedState): SpamClassifier {
    const classifier = new SpamClassifier(baseOf(model), new LearnedCounts(model.featureSpace));
    if (learned) classifier.apply(learned);
    return classifier;
  }

  /** Scores at or above this are spam. */
  get threshold(): number {
    return this.base.model.threshold;
  }

  /** Fingerprint of the model's feature ids; feedback rows are only valid for the same value. */
  get featureSpace(): string {
    return this.base.model.featureSpace;
  }

  /** P(spam) of a comment's text, in [0, 1]. */
  probability(text: string): number {
    return this.score(text).probability;
  }

  /** Whether the comment's text scores at or above the threshold. */
  isSpam(text: string): boolean {
    return this.score(text).spam;
  }

  /** P(spam), the spam decision, and how much of the score moderator feedback contributed. */
  score(text: string): SpamScore {
    const features = extractFeatures(text, this.base.model.features);
    const baseLogit = this.baseLogit(features);
    const feedbackShift = this.feedbackShift(features);
    const probability = sigmoid(baseLogit + feedbackShift);
    return {
      probability,
      spam: probability >= this.base.model.threshold,
      baseProbability: sigmoid(baseLogit),
      feedbackShift,
    };
  }

  /**
   * The delta a moderator decision makes, without applying it: persist this (see docs), then
   * `apply` it here and on the other replicas.
   */
  feedbackFor(text: string, label: FeedbackLabel): FeedbackDelta {
    return {
      featureSpace: this.featureSpace,
      label,
      weight: 1,
      features: feedbackIds(extractFeatures(text, this.base.model.features)),
    };
  }

  /** Learns one moderator decision on this instance and returns the delta to persist. */
  learn(text: string, label: FeedbackLabel): FeedbackDelta {
    const delta = this.feedbackFor(text, label);
    this.apply(delta);
    return delta;
  }

  /**
   * Adds a delta (learned elsewhere, or a `retraction`) or a whole learned state to this
   * instance. Additive: applying the same delta twice counts it twice, so to resynchronise
   * from the database build a new classifier with `SpamClassifier.load(model, state)`.
   */
  apply(change: FeedbackDelta | LearnedState): void {
    if (isDelta(change)) {
      this.learned.add(change);
      this.updateEvidence(change.features);
    } else {
      this.learned.merge(change);
      if (change.counts.length > 0) this.updateEvidence(change.counts.map((row) => row[0]));
    }
  }

  /** Everything this instance has learned, as a serialisable sum of deltas. */
  learnedState(): LearnedState {
    return this.learned.snapshot();
  }

  private baseLogit(features: FeatureVector): number {
    const { weights } = this.base;
    const { ids, values } = features;
    let z = this.base.model.bias;
    for (let i = 0; i < ids.length; i++) {
      const v = values[i] ?? 0;
      if (v !== 0) z += v * (weights[ids[i] ?? 0] ?? 0);
    }
    return z;
  }

  /**
   * Recomputes the evidence of `features` from their counts:
   * `specificity(f) × ln((spam examples with f + s) / (ham examples with f + s))`, `s` the
   * smoothing. `specificity` is the feature's inverse document frequency in the training set
   * scaled to [0, 1]: common words barely count, so a pile of spam feedback does not make every
   * comment look like spam, while the rare words and character sequences that near-duplicates
   * share count fully.
   */
  private updateEvidence(features: Iterable<number>): void {
    const { documentFrequency, logDocuments } = this.base;
    const { smoothing } = this.base.model.feedback;
    const evidence = (this.evidence ??= new Float64Array(2 ** this.base.model.features.bits));
    for (const f of features) {
      const [spam, ham] = this.learned.countsOf(f);
      const specificity = 1 - Math.log1p(documentFrequency.get(f) ?? 0) / logDocuments;
      evidence[f] =
        specificity * Math.log((Math.max(0, spam) + smoothing) / (Math.max(0, ham) + smoothing));
    }
  }

  /**
   * Log-odds shift from feedback: `strength ×` the average evidence over the comment's word and
   * character features (words and characters count half each), clamped to `±maxShift`.
   * Features no feedback example contained have evidence 0, so a comment shares in the shift
   * only as far as it resembles what moderators labelled.
   */
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
    const shift = strength * mean;
    return Math.max(-maxShift, Math.min(maxShift, shift));
  }
}
