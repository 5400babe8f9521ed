import { describe, expect, it } from 'vitest';
import {
  constantSchedule,
  cosineSchedule,
  exponentialSchedule,
  joinSchedules,
  linearWarmup,
  stepSchedule,
} from '../src/index.js';

describe('schedules', () => {
  it('constant', () => {
    expect([0, 10, 1000].map(constantSchedule(0.1))).toEqual([0.1, 0.1, 0.1]);
  });

  it('step decays by gamma every stepSize steps', () => {
    const s = stepSchedule({ lr: 1, stepSize: 10, gamma: 0.5 });
    expect([0, 9, 10, 25].map(s)).toEqual([1, 1, 0.5, 0.25]);
  });

  it('exponential decays smoothly or in stairs, floored at minLr', () => {
    expect(exponentialSchedule({ lr: 1, gamma: 0.5, decaySteps: 2 })(1)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(exponentialSchedule({ lr: 1, gamma: 0.5, decaySteps: 2, staircase: true })(3)).toBe(0.5);
    expect(exponentialSchedule({ lr: 1, gamma: 0.1, minLr: 0.05 })(10)).toBe(0.05);
  });

  it('cosine anneals to minLr and restarts with growing periods (SGDR)', () => {
    const s = cosineSchedule({ lr: 1, minLr: 0.1, period: 4, periodMult: 2 });
    expect(s(0)).toBe(1);
    expect(s(2)).toBeCloseTo(0.55, 12);
    expect(s(4)).toBe(1); // restart; the next period has 8 steps
    expect(s(8)).toBeCloseTo(0.55, 12);
    expect(s(12)).toBe(1);
    expect(cosineSchedule({ lr: 1, period: 4, restarts: false })(9)).toBe(0);
  });

  it('linear warm-up ramps into any schedule', () => {
    const s = linearWarmup({ warmupSteps: 3, then: stepSchedule({ lr: 0.8, stepSize: 2, gamma: 0.5 }) });
    expect([0, 1, 2, 3, 4, 5].map(s)).toEqual([0.2, 0.4, 0.6000000000000001, 0.8, 0.8, 0.4]);
  });

  it('joins schedules at boundaries, each restarted at its own step 0', () => {
    const s = joinSchedules([0.1, stepSchedule({ lr: 1, stepSize: 1, gamma: 0.5 })], [5]);
    expect([4, 5, 6, 7].map(s)).toEqual([0.1, 1, 0.5, 0.25]);
  });

  it('validates its arguments', () => {
    expect(() => stepSchedule({ lr: 1, stepSize: 0 })).toThrow(
      'stepSchedule: stepSize must be an integer >= 1, got number 0',
    );
    expect(() => cosineSchedule({ lr: 1, period: 10, minLr: 2 })).toThrow(/minLr/);
    expect(() => joinSchedules([1, 2], [])).toThrow(/boundaries/);
  });
});
