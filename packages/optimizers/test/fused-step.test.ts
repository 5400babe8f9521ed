// Adam's whole-step shortcut (src/fused.ts): a chain ending in scaleByAdam, scaleByLearningRate
// steps through the tensor package's adamStep (one pass on the `wasm` backend) instead of
// update + applyUpdates. It must give bitwise the parameters and state of the chain it
// replaces, on every backend, with a schedule (one that reaches 0 included), coupled weight
// decay in front, several parameters, and through both Optimizer and applyStep.
import {
  type BackendName,
  disposeBackend,
  getBackend,
  keep,
  kernelStats,
  Random,
  setBackend,
  type Tensor,
  tensor,
  tidy,
} from '@sparsekit/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import type { GradientTransformation, StateTree } from '../src/contract.js';
import { APPLY, type Fusable } from '../src/fused.js';
import { Adam, AdamW, adam, applyStep, applyUpdates, chain, scaleByAdam, scaleByLearningRate } from '../src/index.js';
import { stateTensors } from '../src/state.js';
import { params, setGrads, values } from './helpers.js';

afterAll(() => disposeBackend());

const SHAPES = [[37], [5, 7], [3, 129]];
const STEPS = 6;

function seeded(n: number, seed: number): Float32Array {
  const r = new Random(seed);
  return Float32Array.from({ length: n }, () => r.uniform() * 2 - 1);
}
const sizes = SHAPES.map((s) => s.reduce((p, d) => p * d, 1));
const gradAt = (step: number, v: Float32Array[]) =>
  v.map((x, k) => {
    const noise = seeded(x.length, 100 * step + k + 1);
    return x.map((xi, i) => xi - 0.3 + 0.1 * noise[i]);
  });
/** Step `step`'s gradients at parameters `ps`, as new tensors. */
const gradTensors = (step: number, ps: Tensor[]): Tensor[] =>
  gradAt(
    step,
    ps.map((p) => p.dataSync()),
  ).map((g, i) => tensor(Float32Array.from(g), SHAPES[i]));

/** Kept parameters from `start` and `tx`'s kept initial state. */
function initial<S extends StateTree>(
  tx: GradientTransformation<S>,
  start: Float32Array[],
): { ps: Tensor[]; state: S } {
  const ps = start.map((a, i) => keep(tensor(a, SHAPES[i])));
  const state = tidy(() => tx.init(ps));
  for (const t of stateTensors(state)) keep(t);
  return { ps, state };
}

/** The same transformation without its shortcut: a chain the step cannot fuse. */
function unfused<S>(tx: S): S {
  const copy = { ...(tx as object) } as Fusable;
  delete copy[APPLY];
  return copy as S;
}

/** Steps `tx` by hand, as the pure core reads: update, then θ + u, realised every step. */
function byHand(tx: ReturnType<typeof adam>, start: Float32Array[]) {
  let { ps, state } = initial(tx, start);
  for (let s = 0; s < STEPS; s++) {
    const gs = gradTensors(s, ps);
    const next = tidy(() => {
      const r = tx.update(gs, state, ps);
      return { ps: applyUpdates(ps, r.updates), state: r.state };
    });
    // state first, then parameters, as the step realises them (on cpu a fused chain rounds
    // once, so what it reads realised changes its last bit)
    for (const t of [...stateTensors(next.state), ...next.ps]) keep(t).materializeSync();
    for (const t of [...ps, ...stateTensors(state), ...gs]) t.dispose();
    ps = next.ps;
    state = next.state;
  }
  const out = { params: ps.map((p) => p.dataSync()), state: stateTensors(state).map((t) => t.dataSync()) };
  for (const t of [...ps, ...stateTensors(state)]) t.dispose();
  return out;
}

const BACKENDS: BackendName[] = ['cpu', 'webasm', 'wasm'];
const schedule = (count: number) => (count === 3 ? 0 : 0.05 / (1 + count));

describe('Adam whole-step shortcut', () => {
  it('is offered by chains ending in scaleByAdam, scaleByLearningRate only', () => {
    expect((adam({ lr: 0.1 }) as Fusable)[APPLY]).toBeTypeOf('function');
    expect((chain(scaleByAdam(), scaleByLearningRate(schedule)) as Fusable)[APPLY]).toBeTypeOf('function');
    // AMSGrad's running maximum, AdamW's decay between the two, and no learning rate after Adam: no shortcut
    expect((adam({ lr: 0.1, amsgrad: true }) as Fusable)[APPLY]).toBeUndefined();
    expect((chain(scaleByAdam()) as Fusable)[APPLY]).toBeUndefined();
    expect((chain(scaleByLearningRate(0.1), scaleByAdam()) as Fusable)[APPLY]).toBeUndefined();
    setBackend('cpu');
    const [p] = params([new Float32Array(4)], [[4]]);
    const w = new AdamW([p], { lr: 0.1, weightDecay: 0.1 });
    expect((w.paramGroups[0].transformation as Fusable)[APPLY]).toBeUndefined();
    w.dispose();
    p.dispose();
  });

  for (const backend of BACKENDS) {
    it(`gives bitwise the parameters and state of update + applyUpdates on ${backend}`, () => {
      setBackend(backend);
      const start = sizes.map((n, k) => seeded(n, 50 + k));
      for (const options of [{ lr: 0.05 }, { lr: schedule, weightDecay: 0.01, beta1: 0.5, eps: 1e-3 }]) {
        const tx = adam(options);
        // update + applyUpdates by hand (no shortcut there)
        const want = byHand(tx, start);
        // the pure core's applyStep, with the shortcut
        let { ps, state } = initial(tx, start);
        for (let s = 0; s < STEPS; s++) {
          const gs = gradTensors(s, ps);
          ({ params: ps, state } = applyStep(tx, gs, state, ps));
          for (const g of gs) g.dispose();
        }
        const viaStep = ps.map((p) => Array.from(p.dataSync()));
        const stateViaStep = stateTensors(state).map((t) => Array.from(t.dataSync()));
        for (const t of [...ps, ...stateTensors(state)]) t.dispose();
        // the Optimizer class, with the shortcut
        const qs = params(start, SHAPES);
        const opt = new Adam(qs, options);
        for (let s = 0; s < STEPS; s++) {
          setGrads(qs, (v) => gradAt(s, v));
          opt.step();
        }
        const viaClass = values(qs).map((v) => Array.from(v));
        opt.dispose();
        for (const q of qs) q.dispose();

        const wantParams = want.params.map((v) => Array.from(v));
        expect(viaStep).toEqual(wantParams);
        expect(stateViaStep).toEqual(want.state.map((v) => Array.from(v)));
        expect(viaClass).toEqual(wantParams);
        // and it moved: not a no-op that matches trivially
        expect(wantParams[0][0]).not.toBe(start[0][0]);
      }
      expect(getBackend().fallbacks).toEqual([]);
    });
  }

  it('on wasm, a step launches the finiteness probe and one pass, in place', () => {
    setBackend('wasm');
    const launches = (tx: ReturnType<typeof adam>) => {
      const ps = params([seeded(5000, 3)], [[5000]]);
      let p = keep(tensor(seeded(5000, 3), [5000]));
      let state = tidy(() => tx.init([p]));
      const g = tensor(seeded(5000, 4), [5000]);
      ({
        params: [p],
        state,
      } = applyStep(tx, [g], state, [p]));
      const before = kernelStats().calls;
      ({
        params: [p],
        state,
      } = applyStep(tx, [g], state, [p]));
      const calls = kernelStats().calls - before;
      for (const t of [p, g, ...stateTensors(state), ...ps.map((q) => q.value)]) t.dispose();
      return calls;
    };
    const tx = adam({ lr: 0.01 });
    // the probe's reduction and the in-place Adam pass; the chain: the probe, the moments'
    // packed pass, the θ chain and their parts
    expect(launches(tx)).toBe(2);
    expect(launches(unfused(tx))).toBeGreaterThan(3);
  });
});
