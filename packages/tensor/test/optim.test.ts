// adamMoments: values against a float64 reference on cpu, webasm and wasm (where one packed kernel
// computes m', v' and the update and `part` splits it without copies), the packed block freed
// with its last part whatever the order, on one and two threads, and misuse.
import { afterAll, describe, expect, it } from 'vitest';
import { current } from '../src/backend.js';
import * as T from '../src/index.js';
import { backendLabel, mismatch, seeded, type Tolerance, useBackend } from './wasm/helpers.js';

// float32 inputs, float64 reference: a few roundings (and the reciprocal bias corrections on
// wasm); m' and v' cancel, so an absolute term at float32 resolution of their inputs (~3)
const TOL: Tolerance = { rtol: 2e-6, atol: 1e-6 };

function reference(g: Float32Array, m: Float32Array, v: Float32Array, b1: number, b2: number, eps: number, t: number) {
  const n = g.length;
  const out = { m: new Float64Array(n), v: new Float64Array(n), update: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const mi = b1 * m[i] + (1 - b1) * g[i];
    const vi = b2 * v[i] + (1 - b2) * g[i] * g[i];
    out.m[i] = mi;
    out.v[i] = vi;
    out.update[i] = mi / (1 - b1 ** t) / (Math.sqrt(vi) / Math.sqrt(1 - b2 ** t) + eps);
  }
  return out;
}

function blocks(): number {
  return (current().adapter as unknown as { blocks?: () => number }).blocks?.() ?? -1;
}

afterAll(() => T.disposeBackend());

describe('adamMoments', () => {
  const cases: Array<[string, string | undefined]> = [
    ['cpu', undefined],
    ['webasm', undefined],
    ['wasm', '1'],
    ['wasm', '2'],
  ];
  for (const [backend, threads] of cases) {
    it(`matches the float64 reference on ${backendLabel(backend, threads)}, edge lengths and 2-D shapes included`, () => {
      useBackend(backend as T.BackendName, threads);
      for (const shape of [[1], [7], [33, 5], [300_001]]) {
        const n = shape.reduce((p, d) => p * d, 1);
        const g = seeded(n, 1, 3);
        const m = seeded(n, 2, 0.5);
        const v = seeded(n, 3, 0.5).map(Math.abs);
        for (const [b1, b2, eps, t] of [
          [0.9, 0.999, 1e-8, 1],
          [0.5, 0.99, 1e-3, 17],
          [0, 0, 0.5, 2],
        ]) {
          const ref = reference(g, m, v, b1, b2, eps, t);
          const r = T.tidy(() => {
            const out = T.adamMoments(T.tensor(g, shape), T.tensor(m, shape), T.tensor(v, shape), {
              beta1: b1,
              beta2: b2,
              eps,
              step: t,
            });
            return [out.m, out.v, out.update];
          });
          for (const x of r) expect(x.shape).toEqual(shape);
          const [gm, gv, gu] = r.map((x) => x.dataSync());
          const at = `${shape} β=${b1},${b2} t=${t}`;
          expect(mismatch(gm, ref.m, TOL), `m ${at}`).toBeUndefined();
          expect(mismatch(gv, ref.v, TOL), `v ${at}`).toBeUndefined();
          expect(mismatch(gu, ref.update, TOL), `update ${at}`).toBeUndefined();
          for (const x of r) x.dispose();
        }
      }
      expect(T.getBackend().fallbacks).toEqual([]);
    });
  }

  it('on wasm, the three results share one block, freed with the last of them in any order', () => {
    T.setBackend('wasm');
    const n = 1000;
    const g = T.keep(T.tensor(seeded(n, 4), [n]));
    const m = T.keep(T.zeros([n]));
    const v = T.keep(T.zeros([n]));
    // a first call uploads g and fills m and v in wasm memory
    const first = T.adamMoments(g, m, v, { beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1 });
    first.update.dataSync();
    for (const x of [first.m, first.v, first.update]) x.dispose();
    const live = T.memory().liveTensors;
    const base = blocks();
    for (const order of [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0],
    ]) {
      const r = T.tidy(() => {
        const out = T.adamMoments(g, m, v, { beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1 });
        return [out.m, out.v, out.update];
      });
      for (const x of r) x.dataSync();
      // one packed block of 3n cells holds all three
      expect(blocks()).toBe(base + 1);
      expect(T.memory().liveTensors).toBe(live + 3);
      r[order[0]].dispose();
      r[order[1]].dispose();
      expect(blocks()).toBe(base + 1);
      expect(Array.from(r[order[2]].dataSync().slice(0, 2)).every(Number.isFinite)).toBe(true);
      r[order[2]].dispose();
      expect(blocks()).toBe(base);
      expect(T.memory().liveTensors).toBe(live);
    }
    // outside tidy too, and with a result read only through a later op, the others never
    // realised: nothing stays behind
    const parts = T.adamMoments(g, m, v, { beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1 });
    const s = T.sum(parts.update);
    expect(Number.isFinite(s.itemSync())).toBe(true);
    for (const x of [s, parts.m, parts.v, parts.update]) x.dispose();
    expect(blocks()).toBe(base);
    for (const x of [g, m, v]) x.dispose();
  });

  it('returns empty tensors for empty inputs', () => {
    T.setBackend('wasm');
    const e = T.zeros([0, 3]);
    const r = T.adamMoments(e, e, e, { beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1 });
    expect(r.update.shape).toEqual([0, 3]);
    expect(r.m.dataSync().length).toBe(0);
  });

  it('refuses mismatched shapes and bad hyperparameters, naming them', () => {
    T.setBackend('cpu');
    const a = T.zeros([3]);
    const ok = { beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1 };
    expect(() => T.adamMoments(a, T.zeros([4]), a, ok)).toThrow(T.ShapeError);
    expect(() => T.adamMoments(a, a, T.zeros([3, 1]), ok)).toThrow(/adamMoments: v must have g's shape \[3\]/);
    expect(() => T.adamMoments(a, a, [1, 2, 3] as never, ok)).toThrow(T.ValueError);
    expect(() => T.adamMoments(a, a, a, { ...ok, beta1: 1 })).toThrow(
      /options\.beta1 must be a number in \[0, 1\), got number 1/,
    );
    expect(() => T.adamMoments(a, a, a, { ...ok, beta2: -0.1 })).toThrow(/options\.beta2/);
    expect(() => T.adamMoments(a, a, a, { ...ok, eps: 0 })).toThrow(/options\.eps must be a finite number > 0/);
    expect(() => T.adamMoments(a, a, a, { ...ok, step: 0 })).toThrow(/options\.step must be an integer >= 1/);
    expect(() => T.adamMoments(a, a, a, { ...ok, step: 1.5 })).toThrow(T.ValueError);
    expect(() => T.adamMoments(a, a, a, { ...ok, lr: 1 } as never)).toThrow(/lr/);
    expect(() => T.adamMoments(a, a, a, null as never)).toThrow(/options must be an object/);
  });
});

describe('adamStep', () => {
  const cases: Array<[string, string | undefined]> = [
    ['cpu', undefined],
    ['webasm', undefined],
    ['wasm', '1'],
    ['wasm', '2'],
  ];
  for (const [backend, threads] of cases) {
    it(`is bitwise adamMoments then θ + update·(−lr), and matches the float64 reference, on ${backendLabel(backend, threads)}`, () => {
      useBackend(backend as T.BackendName, threads);
      // 300_001 cells: split over two threads, with an odd tail
      for (const shape of [[1], [7], [33, 5], [300_001]]) {
        const n = shape.reduce((p, d) => p * d, 1);
        const th = seeded(n, 5, 2);
        const g = seeded(n, 1, 3);
        const m = seeded(n, 2, 0.5);
        const v = seeded(n, 3, 0.5).map(Math.abs);
        for (const [b1, b2, eps, t, lr] of [
          [0.9, 0.999, 1e-8, 1, 1e-3],
          [0.5, 0.99, 1e-3, 17, 0.3],
          [0.9, 0.999, 1e-8, 3, 0],
        ]) {
          const at = `${shape} t=${t} lr=${lr}`;
          const [fused, apart] = T.tidy(() => {
            const [x, gt, mt, vt] = [th, g, m, v].map((a) => T.tensor(a, shape));
            const opts = { beta1: b1, beta2: b2, eps, step: t };
            const s = T.adamStep(x, gt, mt, vt, { ...opts, lr });
            const r = T.adamMoments(gt, mt, vt, opts);
            return [
              [s.theta, s.m, s.v],
              [T.add(x, T.mul(r.update, -lr)), r.m, r.v],
            ];
          });
          for (let k = 0; k < 3; k++) {
            expect(fused[k].shape).toEqual(shape);
            expect(Array.from(fused[k].dataSync()), `${['theta', 'm', 'v'][k]} ${at}`).toEqual(
              Array.from(apart[k].dataSync()),
            );
          }
          const ref = reference(g, m, v, b1, b2, eps, t);
          const want = Float64Array.from(th, (x, i) => x - lr * ref.update[i]);
          expect(mismatch(fused[0].dataSync(), want, TOL), `theta ${at}`).toBeUndefined();
          for (const x of [...fused, ...apart]) x.dispose();
        }
      }
      expect(T.getBackend().fallbacks).toEqual([]);
    });
  }

  it('on wasm, makes one block for θ′, m′ and v′ (no update written) and frees it with the last of them', () => {
    T.setBackend('wasm');
    const n = 1000;
    const [x, g, m, v] = [5, 4, 6, 7].map((s) => T.keep(T.tensor(seeded(n, s).map(Math.abs), [n])));
    const opts = { beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1, lr: 0.01 };
    const warm = T.adamStep(x, g, m, v, opts);
    for (const t of [warm.theta, warm.m, warm.v]) {
      t.dataSync();
      t.dispose();
    }
    const base = blocks();
    const live = T.memory().liveTensors;
    // launches to realise θ′ alone: those of adamMoments' update (its one pass), not one more
    const count = (f: () => T.Tensor): number => {
      const before = T.kernelStats().calls;
      const y = f();
      y.materializeSync();
      const calls = T.kernelStats().calls - before;
      y.dispose();
      return calls;
    };
    const { beta1, beta2, eps, step } = opts;
    const momentsCalls = count(() => T.tidy(() => T.adamMoments(g, m, v, { beta1, beta2, eps, step }).update));
    const apartCalls = count(() =>
      T.tidy(() => T.add(x, T.mul(T.adamMoments(g, m, v, { beta1, beta2, eps, step }).update, -0.01))),
    );
    expect(apartCalls).toBe(momentsCalls + 1);
    const launches = T.kernelStats().calls;
    const r = T.adamStep(x, g, m, v, opts);
    r.theta.dataSync();
    expect(T.kernelStats().calls - launches).toBe(momentsCalls);
    expect(blocks()).toBe(base + 1);
    r.m.dispose();
    r.theta.dispose();
    expect(blocks()).toBe(base + 1);
    r.v.dispose();
    expect(blocks()).toBe(base);
    expect(T.memory().liveTensors).toBe(live);
    for (const t of [x, g, m, v]) t.dispose();
  });

  it('returns empty tensors for empty inputs', () => {
    T.setBackend('wasm');
    const e = T.zeros([0, 2]);
    const r = T.adamStep(e, e, e, e, { beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1, lr: 1e-3 });
    expect(r.theta.shape).toEqual([0, 2]);
    expect(r.theta.dataSync().length).toBe(0);
  });

  it('refuses a bad theta, learning rate or option, naming them', () => {
    T.setBackend('cpu');
    const a = T.zeros([3]);
    const ok = { beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1, lr: 1e-3 };
    expect(() => T.adamStep(T.zeros([4]), a, a, a, ok)).toThrow(/adamStep: theta must have g's shape \[3\], got \[4\]/);
    expect(() => T.adamStep([0, 0, 0] as never, a, a, a, ok)).toThrow(/adamStep: theta must be a Tensor/);
    expect(() => T.adamStep(a, a, T.zeros([2]), a, ok)).toThrow(/adamStep: m must have g's shape/);
    for (const lr of [-1, Number.NaN, Number.POSITIVE_INFINITY, '0.1', undefined]) {
      expect(() => T.adamStep(a, a, a, a, { ...ok, lr } as never)).toThrow(
        /adamStep: options\.lr must be a finite number >= 0/,
      );
    }
    expect(() => T.adamStep(a, a, a, a, { ...ok, beta1: 1 })).toThrow(/adamStep: options\.beta1/);
    expect(() => T.adamStep(a, a, a, a, { ...ok, momentum: 0.9 } as never)).toThrow(/adamStep.*momentum/);
    expect(() => T.adamStep(a, a, a, a, null as never)).toThrow(/adamStep: options must be an object/);
  });
});

describe('adamStep in place', () => {
  const opts = { beta1: 0.9, beta2: 0.999, eps: 1e-8, lr: 0.01 };
  // realised on the device (a kernel's result, not host data), as a training loop's tensors are
  const onDevice = (a: Float32Array): T.Tensor => {
    const t = T.keep(T.tidy(() => T.add(T.tensor(a, [a.length]), 0)));
    t.materializeSync();
    return t;
  };
  const setup = (n: number) => {
    const [x, g, m, v] = [11, 12, 13, 14].map((s, i) => {
      const a = seeded(n, s, 1);
      return onDevice(i === 3 ? a.map(Math.abs) : a);
    });
    return { x, g, m, v };
  };
  const step = (s: { x: T.Tensor; g: T.Tensor; m: T.Tensor; v: T.Tensor }, t: number, inPlace = false) =>
    T.tidy(() => T.adamStep(s.x, s.g, s.m, s.v, { ...opts, step: t, inPlace }));
  const cases: Array<[string, string | undefined]> = [
    ['cpu', undefined],
    ['webasm', undefined],
    ['wasm', '1'],
    ['wasm', '2'],
  ];
  for (const [backend, threads] of cases) {
    it(`gives bitwise the out-of-place step and consumes θ, m and v, step after step, on ${backendLabel(backend, threads)}`, () => {
      useBackend(backend as T.BackendName, threads);
      const n = 70_001;
      const a = setup(n);
      const b = setup(n);
      const base = blocks();
      const live = T.memory().liveTensors;
      for (let t = 1; t <= 4; t++) {
        const ra = step(a, t, true);
        for (const x of [a.x, a.m, a.v]) expect(x.isDisposed).toBe(true);
        const rb = step(b, t);
        for (const x of [b.x, b.m, b.v]) expect(x.isDisposed).toBe(false);
        for (const k of ['theta', 'm', 'v'] as const) {
          expect(Array.from(ra[k].dataSync()), `${k} step ${t}`).toEqual(Array.from(rb[k].dataSync()));
        }
        for (const x of [b.x, b.m, b.v]) x.dispose();
        Object.assign(a, { x: ra.theta, m: ra.m, v: ra.v });
        Object.assign(b, { x: rb.theta, m: rb.m, v: rb.v });
        // in place: a's results live in its inputs' 3 blocks; b's in one packed block (its
        // inputs' 3 freed), whatever the step
        if (backend === 'wasm') expect(blocks()).toBe(base - 2);
      }
      expect(T.memory().liveTensors).toBe(live);
      for (const x of [a.x, a.g, a.m, a.v, b.x, b.g, b.m, b.v]) x.dispose();
      expect(T.getBackend().fallbacks).toEqual([]);
    });
  }

  it('on wasm, runs now and allocates nothing when nothing else reads θ, m and v', () => {
    T.setBackend('wasm');
    const s = setup(5000);
    const base = blocks();
    const launches = T.kernelStats().calls;
    const r = step(s, 1, true);
    expect(T.kernelStats().calls - launches).toBe(1);
    expect(blocks()).toBe(base);
    // already realised: reading launches nothing more
    r.theta.dataSync();
    expect(T.kernelStats().calls - launches).toBe(1);
    for (const t of [r.theta, r.m, r.v, s.g]) t.dispose();
    expect(blocks()).toBe(base - 4);
  });

  it('leaves memory that something else still reads alone: a lazy op on θ, a view of m, a host g', () => {
    T.setBackend('wasm');
    const n = 3000;
    // runs the step in place on one problem and out of place on its twin, with `hold` keeping
    // a reader of the first's inputs; returns the values the inputs had
    const check = (hold: (s: ReturnType<typeof setup>, before: number[][]) => () => void): void => {
      const s = setup(n);
      const twin = setup(n);
      const before = [s.x, s.m, s.v].map((t) => Array.from(t.dataSync()));
      const reader = hold(s, before);
      const r = step(s, 2, true);
      const want = step(twin, 2);
      for (const k of ['theta', 'm', 'v'] as const)
        expect(Array.from(r[k].dataSync())).toEqual(Array.from(want[k].dataSync()));
      reader();
      for (const t of [s.x, s.m, s.v]) expect(t.isDisposed).toBe(true);
      for (const t of [r.theta, r.m, r.v, want.theta, want.m, want.v, s.g, twin.x, twin.g, twin.m, twin.v]) t.dispose();
    };
    // a lazy op built on θ before the step still reads the old θ
    check((s, before) => {
      const lazy = T.mul(s.x, 2);
      return () => {
        expect(Array.from(lazy.dataSync())).toEqual(before[0].map((x) => Math.fround(x * 2)));
        lazy.dispose();
      };
    });
    // a view of m (a reshape shares its memory) keeps the old m
    check((s, before) => {
      const view = T.reshape(s.m, [n / 3, 3]);
      view.materializeSync();
      return () => {
        expect(Array.from(view.dataSync())).toEqual(before[1]);
        view.dispose();
      };
    });
    // a gradient still on the host: the out-of-place path, the same values
    check((s) => {
      const host = T.keep(T.tensor(seeded(n, 12, 1), [n]));
      s.g.dispose();
      s.g = host;
      return () => undefined;
    });
  });

  it('refuses a non-boolean inPlace, changing nothing', () => {
    T.setBackend('wasm');
    const { x, g, m, v } = setup(10);
    expect(() => T.adamStep(x, g, m, v, { ...opts, step: 1, inPlace: 1 as never })).toThrow(
      /adamStep: options\.inPlace must be a boolean, got number 1/,
    );
    for (const t of [x, m, v]) expect(t.isDisposed).toBe(false);
    for (const t of [x, g, m, v]) t.dispose();
  });
});
