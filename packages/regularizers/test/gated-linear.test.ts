import * as A from '@sparsekit/autograd';
import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compact,
  expectedL0,
  GatedLinear,
  HARD_CONCRETE_DEFAULTS,
  HardConcreteGate,
  hardConcreteSample,
} from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

const { beta, gamma, zeta } = HARD_CONCRETE_DEFAULTS;
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const evalGate = (la: number): number => Math.min(1, Math.max(0, sigmoid(la) * (zeta - gamma) + gamma));

function randomTensor(shape: number[], seed: number): T.Tensor {
  return T.rand(shape, { seed, low: -1, high: 1 });
}

/** y = (x ⊙ z)·Wᵀ + b or (x·Wᵀ + b) ⊙ z on the host, float64. */
function reference(
  x: Float32Array,
  w: Float32Array,
  b: Float32Array,
  z: number[],
  n: number,
  inF: number,
  outF: number,
  gating: 'input' | 'output',
): number[] {
  const y: number[] = [];
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < outF; i++) {
      let s = b[i];
      for (let j = 0; j < inF; j++) s += w[i * inF + j] * x[r * inF + j] * (gating === 'input' ? z[j] : 1);
      y.push(gating === 'output' ? s * z[i] : s);
    }
  }
  return y;
}

describe('GatedLinear', () => {
  for (const gating of ['input', 'output'] as const) {
    it(`computes the ${gating}-gated affine map in eval mode`, () => {
      const layer = new GatedLinear(5, 3, { gate: gating, seed: 2 }).eval();
      const la = gating === 'input' ? [-4, 0.3, 2, -0.5, 6] : [1, -4, 0.2];
      layer.gate.logAlpha.assign(T.tensor(la));
      layer.bias!.assign(T.tensor([0.1, -0.2, 0.3]));
      const x = randomTensor([4, 5], 9);
      const y = layer.forward(x).value.dataSync();
      const ref = reference(
        x.dataSync(),
        layer.weight.value.dataSync(),
        layer.bias!.value.dataSync(),
        la.map(evalGate),
        4,
        5,
        3,
        gating,
      );
      ref.forEach((v, i) => expect(y[i]).toBeCloseTo(v, 5));
    });
  }

  it('in training uses the seeded noise stream, and its gradients are those of the fixed-noise formula', () => {
    const layer = new GatedLinear(4, 2, { seed: 5 });
    const x = randomTensor([3, 4], 1);
    // The gate's first draw: Random(seed + 1)'s first uint32 seeds U(ε, 1 − ε).
    const u = T.rand([4], { seed: new T.Random(6).nextUint32(), low: 1e-6, high: 1 - 1e-6 });
    const loss = A.sum(A.square(layer.forward(x)));
    loss.backward();
    const w = A.variable(layer.weight.value);
    const la = A.variable(layer.gate.logAlpha.value);
    const ref = A.sum(
      A.square(A.add(A.matmul(A.mul(x, hardConcreteSample(la, u)), w, { transposeB: true }), layer.bias!)),
    );
    expect(loss.value.itemSync()).toBeCloseTo(ref.value.itemSync(), 5);
    ref.backward();
    const close = (a: Float32Array, b: Float32Array): void => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
    close(layer.weight.grad!.dataSync(), w.grad!.dataSync());
    close(layer.gate.logAlpha.grad!.dataSync(), la.grad!.dataSync());
    // And the composition passes gradCheck in W and log α with that noise (gates away from the clamp).
    const laMid = T.tensor([0.2, -0.3, 0.5, 0.1]);
    const uMid = T.tensor([0.4, 0.55, 0.45, 0.6]);
    const f = (wv: A.Variable, lv: A.Variable): A.Variable =>
      A.matmul(A.mul(x, hardConcreteSample(lv, uMid)), wv, { transposeB: true });
    expect(A.gradCheck(f, [layer.weight.value, laMid]).ok).toBe(true);
  });

  it('counts the expected L0 by group: |g| = out per input gate, in + 1 per output gate', () => {
    const inGated = new GatedLinear(6, 4, { seed: 1 });
    const outGated = new GatedLinear(6, 4, { gate: 'output', seed: 1 });
    const la = [0.5, -1, 2, 0, -3, 1];
    inGated.gate.logAlpha.assign(T.tensor(la));
    outGated.gate.logAlpha.assign(T.tensor(la.slice(0, 4)));
    const p = (a: number): number => sigmoid(a - beta * Math.log(-gamma / zeta));
    expect(inGated.expectedL0().value.itemSync()).toBeCloseTo(4 * la.reduce((s, a) => s + p(a), 0), 4);
    expect(outGated.expectedL0().value.itemSync()).toBeCloseTo(7 * la.slice(0, 4).reduce((s, a) => s + p(a), 0), 4);
    const model = new A.Sequential(inGated, new A.ReLU(), outGated);
    expect(expectedL0(model).value.itemSync()).toBeCloseTo(
      inGated.expectedL0().value.itemSync() + outGated.expectedL0().value.itemSync(),
      4,
    );
    const stand = new HardConcreteGate(3);
    expect(expectedL0(new A.Sequential(stand)).value.itemSync()).toBeCloseTo(stand.expectedL0().value.itemSync(), 6);
    expect(() => expectedL0(A.mlp([2, 2]))).toThrow(/expectedL0: model has no GatedLinear/);
  });

  for (const gating of ['input', 'output'] as const) {
    it(`compact() removes closed ${gating} gates and keeps the eval outputs`, async () => {
      const layer = new GatedLinear(6, 5, { gate: gating, seed: 4 }).eval();
      const la = gating === 'input' ? [-5, 1, -5, 0.5, 3, -5] : [2, -5, -5, 0.1, 1];
      layer.gate.logAlpha.assign(T.tensor(la));
      layer.bias!.assign(T.tensor([0.1, 0.2, 0.3, 0.4, 0.5]));
      const { linear, inputs, outputs } = await layer.compact();
      expect(linear).toBeInstanceOf(A.Linear);
      expect(Array.from(gating === 'input' ? inputs : outputs)).toEqual(gating === 'input' ? [1, 3, 4] : [0, 3, 4]);
      expect(linear.parameterCount()).toBe(gating === 'input' ? 3 * 5 + 5 : 3 * 6 + 3);
      const x = randomTensor([7, 6], 3);
      const full = layer.forward(x).value.dataSync();
      const small = linear.forward(T.gather(x, Array.from(inputs), 1)).value.dataSync();
      for (let r = 0; r < 7; r++) {
        outputs.forEach((o, c) => expect(small[r * outputs.length + c]).toBeCloseTo(full[r * 5 + o], 5));
        for (let o = 0; o < 5; o++) if (!outputs.includes(o)) expect(Math.abs(full[r * 5 + o])).toBe(0);
      }
    });
  }

  it('compact(model) turns a gated MLP into a smaller plain MLP with the same eval outputs', async () => {
    const l1 = new GatedLinear(8, 6, { seed: 1 });
    const l2 = new GatedLinear(6, 3, { seed: 2 });
    l1.gate.logAlpha.assign(T.tensor([1, -5, 2, 0.5, -5, 1, 1, 3]));
    // Closing inputs 0 and 4 of the second layer silences hidden neurons 0 and 4.
    l2.gate.logAlpha.assign(T.tensor([-5, 2, 1, 0.4, -5, 3]));
    l1.bias!.assign(T.tensor([0.1, 0.2, -0.1, 0.3, 0.05, -0.2]));
    const model = new A.Sequential(l1, new A.ReLU(), l2).eval();
    const small = await compact(model);
    expect(small.layers.map((m) => m.constructor.name)).toEqual(['Linear', 'ReLU', 'Linear']);
    expect((small.layers[0] as A.Linear).outFeatures).toBe(4);
    const x = randomTensor([5, 8], 2);
    const a = model.forward(x).value.dataSync();
    const b = small.forward(x).value.dataSync();
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
  });

  it('rejects a bad gate kind, unknown options and wrong input shapes', () => {
    expect(() => new GatedLinear(3, 2, { gate: 'both' as never })).toThrow(
      /GatedLinear: gate must be 'input' or 'output'/,
    );
    expect(() => new GatedLinear(3, 2, { gates: 'input' } as never)).toThrow(/unknown option 'gates'/);
    expect(() => new GatedLinear(0, 2)).toThrow(T.ValueError);
    expect(() => new GatedLinear(3, 2).forward(T.zeros([2, 4]))).toThrow(/GatedLinear.forward: x must be \[batch, 3\]/);
  });
});
