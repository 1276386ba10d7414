import type { QuantisedColumn } from './toxicity-model.types.js';

/**
 * 8-bit quantisation with square-root companding: fine steps near zero, where most weights
 * are, coarse ones for the few large weights. Deterministic (pure arithmetic).
 */
export function quantise(weights: ArrayLike<number>): QuantisedColumn {
  let max = 0;
  for (let i = 0; i < weights.length; i++) max = Math.max(max, Math.abs(weights[i] ?? 0));
  const scale = Math.round(max * 1e6) / 1e6;
  const bytes = new Int8Array(weights.length);
  if (scale > 0) {
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] ?? 0;
      const q = Math.round(127 * Math.sqrt(Math.min(1, Math.abs(w) / scale)));
      bytes[i] = w < 0 ? -q : q;
    }
  }
  return { scale, data: Buffer.from(bytes.buffer).toString('base64') };
}

/** The weights a quantised column stands for. */
export function dequantise(column: QuantisedColumn, size: number): Float64Array {
  const buffer = Buffer.from(column.data, 'base64');
  if (buffer.length !== size) {
    throw new Error(`quantised column has ${buffer.length} values, expected ${size}`);
  }
  const bytes = new Int8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  const table = new Float64Array(256);
  for (let q = -127; q <= 127; q++) table[q & 0xff] = Math.sign(q) * (q / 127) ** 2 * column.scale;
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = table[(bytes[i] ?? 0) & 0xff] ?? 0;
  return out;
}

/** Document frequencies as one byte each: `round(16 × log2(1 + n))`, at most 255. */
export function encodeFrequencies(counts: ArrayLike<number>): string {
  const bytes = new Uint8Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    bytes[i] = Math.min(255, Math.round(16 * Math.log2(1 + (counts[i] ?? 0))));
  }
  return Buffer.from(bytes.buffer).toString('base64');
}

/** `ln(1 + n)` per id from `encodeFrequencies`' bytes. */
export function decodeLogFrequencies(data: string, size: number): Float32Array {
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length !== size)
    throw new Error(`frequencies have ${bytes.length} values, expected ${size}`);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = ((bytes[i] ?? 0) / 16) * Math.LN2;
  return out;
}
