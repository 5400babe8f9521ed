import { ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { makeSparseCodedSignal } from '../src/index.js';

describe('makeSparseCodedSignal', () => {
  it('without noise, X = codes · dictionary with unit-norm atoms and nNonzeroCoefs distinct atoms per signal', () => {
    const { X, dictionary, codes } = makeSparseCodedSignal({
      nSamples: 40,
      nComponents: 12,
      nFeatures: 6,
      nNonzeroCoefs: 3,
      seed: 1,
    });
    expect(X.shape).toEqual([40, 6]);
    expect(dictionary.shape).toEqual([12, 6]);
    expect(codes.shape).toEqual([40, 12]);
    for (let j = 0; j < 12; j++) expect(Math.hypot(...dictionary.data.subarray(j * 6, j * 6 + 6))).toBeCloseTo(1, 6);
    for (let i = 0; i < 40; i++) {
      const atoms = codes.colIndices.subarray(codes.rowPtr[i], codes.rowPtr[i + 1]);
      expect(new Set(atoms).size).toBe(3);
      for (let t = 0; t < 6; t++) {
        let v = 0;
        for (let p = codes.rowPtr[i]!; p < codes.rowPtr[i + 1]!; p++)
          v += codes.values[p]! * dictionary.data[codes.colIndices[p]! * 6 + t]!;
        expect(X.data[i * 6 + t]).toBeCloseTo(v, 5);
      }
    }
  });

  it('adds white noise at the requested SNR (20 dB within 0.2 dB on 30,000 values)', () => {
    const clean = makeSparseCodedSignal({ nSamples: 1500, nComponents: 50, nFeatures: 20, nNonzeroCoefs: 3, seed: 4 });
    const noisy = makeSparseCodedSignal({
      nSamples: 1500,
      nComponents: 50,
      nFeatures: 20,
      nNonzeroCoefs: 3,
      snr: 20,
      seed: 4,
    });
    let signal = 0;
    let noise = 0;
    clean.X.data.forEach((v, i) => {
      signal += v * v;
      noise += (noisy.X.data[i]! - v) ** 2;
    });
    expect(10 * Math.log10(signal / noise)).toBeCloseTo(20, 0);
    expect(Math.abs(10 * Math.log10(signal / noise) - 20)).toBeLessThan(0.2);
  });

  it('rejects bad sizes and unknown options', () => {
    expect(() => makeSparseCodedSignal({ nSamples: 10, nComponents: 3, nFeatures: 4, nNonzeroCoefs: 4 })).toThrow(
      ValueError,
    );
    expect(() =>
      makeSparseCodedSignal({ nSamples: 10, nComponents: 3, nFeatures: 4, nNonzeroCoefs: 1, noise: 1 } as never),
    ).toThrow(/unknown option 'noise'/);
  });
});
