import * as T from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { cubicSparsitySchedule } from '../src/index.js';

describe('cubicSparsitySchedule', () => {
  it('follows s_t = s_f + (s_i − s_f)(1 − (t − t₀)/(nΔt))³ at t₀, t₀ + Δt, …, t₀ + nΔt', () => {
    const s = cubicSparsitySchedule({
      initialSparsity: 0.1,
      finalSparsity: 0.9,
      startStep: 10,
      pruningSteps: 4,
      frequency: 5,
    });
    expect(s.endStep).toBe(30);
    // Hand-computed: 0.9 − 0.8·(1 − k/4)³ for k = 0..4.
    const expected = [0.1, 0.9 - 0.8 * 0.421875, 0.9 - 0.8 * 0.125, 0.9 - 0.8 * 0.015625, 0.9];
    expected.forEach((v, k) => {
      expect(s.isPruningStep(10 + 5 * k)).toBe(true);
      expect(s.sparsityAt(10 + 5 * k)).toBeCloseTo(v, 12);
    });
    expect(s.sparsityAt(0)).toBe(0);
    expect(s.sparsityAt(9)).toBe(0);
    expect(s.isPruningStep(9)).toBe(false);
    expect(s.isPruningStep(12)).toBe(false);
    expect(s.sparsityAt(14)).toBe(s.sparsityAt(10));
    expect(s.sparsityAt(29)).toBe(s.sparsityAt(25));
    expect(s.sparsityAt(1000)).toBe(0.9);
    expect(s.isPruningStep(35)).toBe(false);
    // Monotone non-decreasing.
    for (let t = 0; t < 40; t++) expect(s.sparsityAt(t + 1)).toBeGreaterThanOrEqual(s.sparsityAt(t));
  });

  it('defaults to s_i = 0, t₀ = 0, Δt = 1', () => {
    const s = cubicSparsitySchedule({ finalSparsity: 0.5, pruningSteps: 2 });
    expect([0, 1, 2].map((t) => s.sparsityAt(t))).toEqual([0, 0.5 - 0.5 * 0.125, 0.5]);
  });

  it('rejects bad schedules with ValueErrors', () => {
    const ok = { finalSparsity: 0.9, pruningSteps: 10 };
    expect(() => cubicSparsitySchedule({ ...ok, finalSparsity: 1 })).toThrow(
      /cubicSparsitySchedule: finalSparsity must be a finite number in \[0, 1\)/,
    );
    expect(() => cubicSparsitySchedule({ ...ok, finalSparsity: Number.NaN })).toThrow(T.ValueError);
    expect(() => cubicSparsitySchedule({ ...ok, initialSparsity: 0.95 })).toThrow(
      /initialSparsity must be <= finalSparsity/,
    );
    expect(() => cubicSparsitySchedule({ ...ok, initialSparsity: -0.1 })).toThrow(/initialSparsity/);
    expect(() => cubicSparsitySchedule({ ...ok, pruningSteps: 0 })).toThrow(/pruningSteps must be an integer >= 1/);
    expect(() => cubicSparsitySchedule({ ...ok, frequency: 1.5 })).toThrow(/frequency/);
    expect(() => cubicSparsitySchedule({ ...ok, startStep: -1 })).toThrow(/startStep/);
    expect(() => cubicSparsitySchedule({ ...ok, steps: 3 } as never)).toThrow(/unknown option 'steps'/);
    expect(() => cubicSparsitySchedule(undefined as never)).toThrow(T.ValueError);
    expect(() => cubicSparsitySchedule(ok).sparsityAt(-1)).toThrow(/sparsityAt: step must be an integer >= 0/);
    expect(() => cubicSparsitySchedule(ok).isPruningStep(Number.NaN)).toThrow(T.ValueError);
  });
});
