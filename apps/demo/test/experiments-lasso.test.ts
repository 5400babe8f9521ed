import { describe, expect, it } from 'vitest';
import { type DemoEvent, resolveConfig, runLasso } from '../src/experiments/index.js';
import { sparseRegression, supportAlpha } from '../src/experiments/lasso.js';

describe('sparseRegression', () => {
  it('draws a known support of the requested size, the same for the same seed', () => {
    const config = resolveConfig({}).lasso;
    const a = sparseRegression(config, 7);
    const b = sparseRegression(config, 7);
    expect(a.support).toHaveLength(config.support);
    expect(a.support).toEqual(b.support);
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    const nonZero = [...a.truth.keys()].filter((j) => a.truth[j] !== 0);
    expect(nonZero).toEqual(a.support);
    for (const j of a.support) expect(Math.abs(a.truth[j])).toBeGreaterThanOrEqual(1);
    expect(sparseRegression(config, 8).support).not.toEqual(a.support);
  });
});

describe('supportAlpha', () => {
  it('is 2σ√(2 ln d / n), floored at α_max/100', () => {
    expect(supportAlpha(0.5, 400, 200, 2)).toBeCloseTo(2 * 0.5 * Math.sqrt((2 * Math.log(200)) / 400), 12);
    expect(supportAlpha(0, 400, 200, 2)).toBe(0.02);
  });
});

describe('runLasso', () => {
  for (const seed of [7, 11]) {
    it(`recovers the true support exactly (seed ${seed})`, async () => {
      const config = resolveConfig({ seed });
      const events: DemoEvent[] = [];
      const r = await runLasso(config, { onEvent: (e) => events.push(e) });
      const truth = sparseRegression(config.lasso, seed);
      expect(r.trueSupport).toEqual(truth.support);
      expect(r.foundSupport).toEqual(truth.support);
      expect(r.recovered).toBe(true);
      // Brute force over the coefficients: non-zero exactly on the support.
      const nonZero = r.coefficients.flatMap((w, j) => (w !== 0 ? [j] : []));
      expect(nonZero).toEqual(truth.support);
      // The Lasso shrinks by about α, and not much more.
      for (const j of truth.support) expect(Math.abs(r.coefficients[j] - truth.truth[j])).toBeLessThan(r.alpha + 0.1);
      // CSR of a 1×200 vector with 10 non-zeros: 4·10 values + 4·10 indices + 4·2 row pointers.
      expect(r.bytesDense).toBe(4 * config.lasso.features);
      expect(r.bytesCsr).toBe(8 * truth.support.length + 8);
      // The path starts at α_max with no non-zero and ends dense.
      expect(r.path[0].nonZeros).toBe(0);
      expect(r.path.at(-1)?.nonZeros).toBeGreaterThan(truth.support.length);
      for (let i = 1; i < r.path.length; i++) expect(r.path[i].alpha).toBeLessThan(r.path[i - 1].alpha);
      expect(events.at(-1)).toEqual({ type: 'lasso-step', step: r.path.length + 1, steps: r.path.length + 1 });
    });
  }

  it('misses the support when the noise swamps the signal, and says so', async () => {
    const r = await runLasso(resolveConfig({ lasso: { samples: 40, noise: 5 } }));
    expect(r.recovered).toBe(false);
    expect(r.foundSupport).not.toEqual(r.trueSupport);
  });
});
