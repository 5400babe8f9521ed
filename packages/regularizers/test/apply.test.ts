import { Linear, ReLU, Sequential } from '@sparsekit/autograd';
import { setBackend, ValueError } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupLasso, l1, l2, penaltyLoss, projectMaxNorm, proxGroups, regularizedParameters } from '../src/index.js';

beforeAll(() => {
  setBackend('cpu');
});

const mlp = (): Sequential => new Sequential(new Linear(4, 3, { seed: 1 }), new ReLU(), new Linear(3, 2, { seed: 2 }));
const absSum = (x: Float32Array): number => x.reduce((a, b) => a + Math.abs(b), 0);

describe('penaltyLoss', () => {
  it('adds λ‖W‖₁ over the weights only (biases never, by default) and its gradient reaches each weight', () => {
    const model = mlp();
    const [w0, b0, w1] = model.parameters();
    const loss = penaltyLoss(model, l1(0.1));
    expect(loss.value.dataSync()[0]).toBeCloseTo(0.1 * (absSum(w0.value.dataSync()) + absSum(w1.value.dataSync())), 5);
    loss.backward();
    Array.from((w0.grad as NonNullable<typeof w0.grad>).dataSync()).forEach((g, i) =>
      expect(g).toBeCloseTo(0.1 * Math.sign(w0.value.dataSync()[i]), 6),
    );
    expect(b0.grad).toBeNull();
  });

  it('per-layer strengths: the first rule that selects a parameter gives its regularizer', () => {
    const model = mlp();
    const [w0, , w1] = model.parameters();
    const spec = [{ parameters: /^layers\.0\.weight$/, regularizer: l1(1) }, { regularizer: l2(0.5) }];
    const chosen = regularizedParameters(model, spec);
    expect(chosen.map((c) => [c.name, c.regularizer.name])).toEqual([
      ['layers.0.weight', 'l1'],
      ['layers.2.weight', 'l2'],
    ]);
    const sq = w1.value.dataSync().reduce((a, b) => a + b * b, 0);
    expect(penaltyLoss(model, spec).value.dataSync()[0]).toBeCloseTo(absSum(w0.value.dataSync()) + 0.25 * sq, 4);
  });

  it('a predicate selects too (here: every parameter, biases included)', () => {
    const model = mlp();
    expect(regularizedParameters(model, { parameters: () => true, regularizer: l1(1) }).map((c) => c.name)).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.2.weight',
      'layers.2.bias',
    ]);
  });
});

describe('proxGroups', () => {
  it('gives one group per regularizer and the rest (biases) an identity prox', () => {
    const model = mlp();
    const [w0, b0, w1, b1] = model.parameters();
    const lasso = l1(0.1);
    const cap = projectMaxNorm(1);
    const groups = proxGroups(model, [{ parameters: /^layers\.0\./, regularizer: cap }, { regularizer: lasso }]);
    expect(groups.map((g) => g.params)).toEqual([[w0, b0], [w1], [b1]]);
    expect(groups[0].prox).toBe(cap);
    expect(groups[1].prox).toBe(lasso);
    const x = b1.value;
    expect(groups[2].prox.prox(x, 0.5)).toBe(x);
  });
});

describe('misuse', () => {
  it('a rule that selects nothing, unknown rule keys, an empty spec or a non-model are ValueErrors', () => {
    const model = mlp();
    expect(() => penaltyLoss(model, { parameters: /^encoder\./, regularizer: l1(1) })).toThrow(
      /penaltyLoss: rule 0 \(l1\) selects none of the model's parameters \(layers.0.weight, layers.0.bias/,
    );
    expect(() => proxGroups(model, [{ params: /weight/, regularizer: l1(1) } as never])).toThrow(
      /proxGroups: unknown option 'params' in spec\[0\]/,
    );
    expect(() => penaltyLoss(model, [])).toThrow(ValueError);
    expect(() => penaltyLoss(model, { regularizer: { prox: () => null } } as never)).toThrow(
      /spec.regularizer must be a regularizer/,
    );
    expect(() => penaltyLoss({} as never, l1(1))).toThrow(/penaltyLoss: model must be a Module/);
    expect(() => regularizedParameters(model, { parameters: 'weight' as never, regularizer: groupLasso(1) })).toThrow(
      /spec.parameters must be a RegExp or a function/,
    );
  });
});
