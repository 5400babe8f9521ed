// Every optimizer on the tensor package's own `wasm` backend gives the parameters the cpu
// backend gives, step after step: its updates are fused elementwise chains, which that
// backend runs natively in wasm memory (issue 12), so the optimizers' pure core runs there
// unchanged and without copies (no fallback to gpu.js is named for the common optimizers).
import type { Parameter } from '@sparsekit/autograd';
import { disposeBackend, getBackend, memory, Random, setBackend } from '@sparsekit/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  FTRL,
  OBProxSG,
  type Optimizer,
  ProximalAdam,
  ProximalSGD,
  RDA,
  RMSprop,
  SGD,
  SubgradientSGD,
} from '../src/index.js';
import { params, setGrads, values, worst } from './helpers.js';

afterAll(() => disposeBackend());

const SHAPES = [[37], [5, 7], [1], [3, 129]];
const STEPS = 12;

/** Seeded starting values, and gradients of ½‖θ − c‖² plus a seeded perturbation per step. */
function problem(seed: number): { start: Float32Array[]; grad: (step: number, v: Float32Array[]) => Float32Array[] } {
  const r = new Random(seed);
  const draw = (n: number, s: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (r.uniform() * 2 - 1) * s;
    return a;
  };
  const sizes = SHAPES.map((s) => s.reduce((p, d) => p * d, 1));
  const start = sizes.map((n) => draw(n, 1));
  const centre = sizes.map((n) => draw(n, 0.5));
  const noise = Array.from({ length: STEPS }, () => sizes.map((n) => draw(n, 0.1)));
  return {
    start,
    grad: (step, v) => v.map((x, k) => x.map((xi, i) => xi - centre[k][i] + noise[step][k][i])),
  };
}

function run(
  backend: 'cpu' | 'wasm',
  create: (ps: Parameter[]) => Optimizer,
): { out: Float32Array[]; fallbacks: string[] } {
  setBackend(backend);
  const { start, grad } = problem(7);
  const ps = params(start, SHAPES);
  const opt = create(ps);
  for (let s = 0; s < STEPS; s++) {
    setGrads(ps, (v) => grad(s, v));
    opt.step();
  }
  const out = values(ps).map((v) => v.slice());
  const fallbacks = getBackend().fallbacks.slice();
  opt.dispose();
  for (const p of ps) p.dispose();
  disposeBackend();
  return { out, fallbacks };
}

const cases: Array<[string, (ps: Parameter[]) => Optimizer, boolean]> = [
  ['SGD (momentum, Nesterov)', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true }), true],
  ['Adam', (ps) => new Adam(ps, { lr: 0.05 }), true],
  ['Adam (AMSGrad, coupled decay)', (ps) => new Adam(ps, { lr: 0.05, amsgrad: true, weightDecay: 0.01 }), true],
  ['AdamW', (ps) => new AdamW(ps, { lr: 0.05, weightDecay: 0.1 }), true],
  ['Adamax', (ps) => new Adamax(ps, { lr: 0.05 }), true],
  ['RMSprop (centred, momentum)', (ps) => new RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.5 }), true],
  ['Adagrad', (ps) => new Adagrad(ps, { lr: 0.3 }), true],
  ['Adadelta', (ps) => new Adadelta(ps, { lr: 1 }), true],
  ['SubgradientSGD', (ps) => new SubgradientSGD(ps, { lr: 0.1, lambda: 0.05 }), true],
  ['ProximalSGD (L1)', (ps) => new ProximalSGD(ps, { lr: 0.2, lambda: 0.1 }), true],
  ['ProximalAdam (L1)', (ps) => new ProximalAdam(ps, { lr: 0.05, lambda: 0.05 }), true],
  ['ProximalAdam (L0)', (ps) => new ProximalAdam(ps, { lr: 0.05, lambda: 1e-4, penalty: 'l0' }), true],
  ['OBProxSG', (ps) => new OBProxSG(ps, { lr: 0.1, lambda: 0.05 }), true],
  ['FTRL', (ps) => new FTRL(ps, { lr: 0.5, l1: 0.05 }), true],
  // RDA's √t scaling and thresholds run natively as well; its exact zeros must match too
  ['RDA', (ps) => new RDA(ps, { lr: 2, lambda: 0.05 }), true],
];

describe('optimizers on the wasm backend', () => {
  for (const [name, create, native] of cases) {
    it(`${name}: the parameters of ${STEPS} steps match cpu's${native ? ', with no gpu.js fallback' : ''}`, () => {
      const cpu = run('cpu', create);
      const wasm = run('wasm', create);
      // float32 on both, different evaluation (cpu's gpu.js kernels compute in float64):
      // a few ulp a step, compounded over the steps
      expect(worst(wasm.out, cpu.out, 1e-5, 1e-4)).toBeLessThanOrEqual(1);
      // exact zeros (the proximal and thresholding optimizers) are the same zeros
      wasm.out.forEach((x, k) => {
        for (let i = 0; i < x.length; i++) expect(x[i] === 0, `${name}: param ${k}[${i}]`).toBe(cpu.out[k][i] === 0);
      });
      if (native) expect(wasm.fallbacks).toEqual([]);
    });
  }

  // Adam's moments come from one packed kernel on wasm (the tensor package's adamMoments), its
  // three results sharing one block: awaited steps give sync's parameters and leave nothing behind
  it('Adam: awaited steps give the synchronous parameters, and no tensor outlives its step', async () => {
    const sync = run('wasm', (ps) => new Adam(ps, { lr: 0.05 }));
    setBackend('wasm');
    const { start, grad } = problem(7);
    const ps = params(start, SHAPES);
    const opt = new Adam(ps, { lr: 0.05 });
    const live: number[] = [];
    for (let s = 0; s < STEPS; s++) {
      setGrads(ps, (v) => grad(s, v));
      await opt.stepAsync();
      live.push(memory().liveTensors);
    }
    const out = values(ps).map((v) => v.slice());
    opt.dispose();
    for (const p of ps) p.dispose();
    disposeBackend();
    expect(out).toEqual(sync.out);
    expect(new Set(live.slice(1)).size).toBe(1);
  });
});
