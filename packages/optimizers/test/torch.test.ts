import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setBackend } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Optimizer } from '../src/index.js';
import * as optimizers from '../src/index.js';
import { params, setGrads, values, worst } from './helpers.js';

// Trajectories from PyTorch 1.13 (Debian python3-torch): test/fixtures/make_fixtures.py.
const here = dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(join(here, 'fixtures', 'torch_trajectories.json'), 'utf8')) as {
  steps: number;
  shapes: number[][];
  start: number[][];
  h: number[][];
  c: number[][];
  configs: Array<{
    name: string;
    optimizer: string;
    options: Record<string, number | boolean>;
    trajectory: number[][][];
  }>;
};

// float32 tolerance: each step's gradient is rounded once here and computed in float32 ops
// there, so values drift by a few ulps per step over 50 steps.
const ATOL = 1e-5;
const RTOL = 2e-5;

beforeAll(() => {
  setBackend((process.env.SPARSEKIT_BACKEND as 'cpu') ?? 'cpu');
});

describe('trajectories match PyTorch for 50 steps', () => {
  for (const config of fixture.configs) {
    it(`${config.name}: ${config.optimizer}(${JSON.stringify(config.options)})`, () => {
      const ps = params(fixture.start, fixture.shapes);
      const Ctor = (optimizers as unknown as Record<string, new (p: unknown, o: unknown) => Optimizer>)[
        config.optimizer
      ];
      const opt = new Ctor(ps, config.options);
      let worstSeen = 0;
      for (let t = 0; t < fixture.steps; t++) {
        setGrads(ps, (vs) => vs.map((v, k) => v.map((x, i) => fixture.h[k][i] * (x - fixture.c[k][i]) + 0.1 * x ** 3)));
        opt.step();
        worstSeen = Math.max(worstSeen, worst(values(ps), config.trajectory[t], ATOL, RTOL));
      }
      expect(worstSeen).toBeLessThanOrEqual(1);
      opt.dispose();
      for (const p of ps) p.dispose();
    });
  }
});
