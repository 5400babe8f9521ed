import { readFileSync } from 'node:fs';
import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import * as A from '../src/index.js';

// Reference: test/fixtures/make_mlp_fixture.py (PyTorch 1.13, float64 from float32 inputs).
const fixture = JSON.parse(readFileSync(new URL('./fixtures/mlp_fixture.json', import.meta.url), 'utf8')) as {
  x: number[][];
  labels: number[];
  params: Record<string, { shape: number[]; value: number[] }>;
  logits: number[];
  loss: number;
  grads: Record<string, number[]>;
};

// 1e-5 relative, against the largest magnitude of each tensor so that elements which are
// (near) zero, e.g. the gradient of a dead ReLU unit, are compared on the tensor's scale.
function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / scale;
    expect(err, `${what}[${i}]: got ${actual[i]}, PyTorch ${expected[i]}`).toBeLessThan(1e-5);
  }
}

describe('2-layer MLP against PyTorch', () => {
  beforeAll(() => {
    T.setBackend('cpu');
  });

  it('forward logits, loss and every parameter gradient match PyTorch to 1e-5 relative', () => {
    const model = A.mlp([6, 5, 3]);
    const names = [...model.namedParameters()].map(([n]) => n);
    expect(names).toEqual(Object.keys(fixture.params));
    for (const [name, p] of model.namedParameters()) {
      const ref = fixture.params[name];
      expect(p.shape).toEqual(ref.shape);
      p.assign(T.tensor(ref.value, ref.shape));
    }
    const { logits, loss } = A.tidy(() => {
      const out = model.forward(T.tensor(fixture.x));
      const l = A.softmaxCrossEntropy(out, fixture.labels);
      l.backward();
      return { logits: out.value, loss: l.value };
    });
    expectClose(logits.dataSync(), fixture.logits, 'logits');
    expect(Math.abs(loss.itemSync() - fixture.loss) / fixture.loss).toBeLessThan(1e-5);
    for (const [name, p] of model.namedParameters())
      expectClose(p.grad!.dataSync(), fixture.grads[name], `grad ${name}`);
    logits.dispose();
    loss.dispose();
    model.dispose();
  });
});
