import { disposeBackend, ShapeError, setBackend, tensor, ValueError } from '@sparsekit/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gini, hoyer, sparsityReport } from '../src/index.js';

// A two-layer MLP 4 → 3 → 2 in PyTorch layout, weight [out, in]:
//   layers.0.weight: row 1 is zero (hidden unit 1 has no incoming weights),
//                    columns 1 and 2 are zero (inputs 1 and 2 feed nothing);
//   layers.2.weight: row 1 is zero, columns 1 and 2 are zero.
const w0 = [1, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 4];
const b0 = [0.5, 0.1, 0];
const w2 = [1, 0, 0, 0, 0, 0];
const b2 = [0, 0];

const host = {
  'layers.0.weight': { data: w0, shape: [3, 4] },
  'layers.0.bias': b0,
  'layers.2.weight': { data: Float32Array.from(w2), shape: [2, 3] },
  'layers.2.bias': new Float32Array(b2),
};

describe('sparsityReport', () => {
  beforeAll(() => setBackend('cpu'));
  afterAll(() => disposeBackend());

  it('counts parameters, non-zeros, dead neurons and structured sparsity per layer', async () => {
    const r = await sparsityReport(host);
    const [l0, bias0, l2, bias2] = r.layers;
    expect(l0).toMatchObject({
      name: 'layers.0.weight',
      shape: [3, 4],
      parameters: 12,
      nonZeros: 4,
      deadNeurons: { outputs: 1, inputs: 2 },
      structuredSparsity: { rows: 1 / 3, cols: 0.5 },
    });
    expect(l0.sparsity).toBeCloseTo(8 / 12, 15);
    expect(bias0).toMatchObject({
      shape: [3],
      parameters: 3,
      nonZeros: 2,
      deadNeurons: null,
      structuredSparsity: null,
    });
    expect(l2).toMatchObject({ parameters: 6, nonZeros: 1, deadNeurons: { outputs: 1, inputs: 2 } });
    expect(bias2).toMatchObject({ parameters: 2, nonZeros: 0, sparsity: 1 });
  });

  it('measures Hoyer and Gini per layer and over all values', async () => {
    const r = await sparsityReport(host);
    expect(r.layers[0].hoyer).toBe(hoyer(w0));
    expect(r.layers[0].gini).toBe(gini(w0));
    expect(r.layers[3].gini).toBe(gini(b2)); // all zero: 1 − 1/N
    const all = [...w0, ...b0, ...w2, ...b2];
    expect(r.total.hoyer).toBeCloseTo(hoyer(all), 15);
    expect(r.total.gini).toBeCloseTo(gini(all), 15);
  });

  it('prices storage dense, CSR and compacted, and multiply-adds dense, sparse and compacted', async () => {
    const r = await sparsityReport(host);
    // W0: 12 floats; CSR 4 values + 4 indices + 4 row pointers; compacted 2×2.
    expect(r.layers[0].bytes).toEqual({ dense: 48, csr: 48, compacted: 16 });
    expect(r.layers[0].multiplyAdds).toEqual({ dense: 12, sparse: 4, compacted: 4 });
    // b0 loses the entry of W0's dead row 1; CSR of a vector is one row.
    expect(r.layers[1].bytes).toEqual({ dense: 12, csr: 24, compacted: 8 });
    expect(r.layers[1].multiplyAdds).toEqual({ dense: 0, sparse: 0, compacted: 0 });
    // W2: 6 floats; CSR 1 + 1 + 3 pointers; compacted 1×1.
    expect(r.layers[2].bytes).toEqual({ dense: 24, csr: 20, compacted: 4 });
    expect(r.layers[3].bytes).toEqual({ dense: 8, csr: 8, compacted: 4 });
    expect(r.total).toMatchObject({
      parameters: 23,
      nonZeros: 7,
      deadNeurons: { outputs: 2, inputs: 4 },
      structuredSparsity: { rows: 2 / 5, cols: 4 / 7 },
      bytes: { dense: 92, csr: 100, compacted: 32 },
      multiplyAdds: { dense: 18, sparse: 5, compacted: 5 },
    });
    expect(r.total.sparsity).toBeCloseTo(16 / 23, 15);
  });

  it("reads a model's namedParameters(), tensors or { value: tensor }, with await t.data()", async () => {
    const model = {
      *namedParameters(): Iterable<[string, ReturnType<typeof tensor> | { value: ReturnType<typeof tensor> }]> {
        yield ['layers.0.weight', { value: tensor(w0, [3, 4]) }];
        yield ['layers.0.bias', tensor(b0, [3])];
        yield ['layers.2.weight', { value: tensor(w2, [2, 3]) }];
        yield ['layers.2.bias', tensor(b2, [2])];
      },
    };
    const fromModel = await sparsityReport(model);
    const fromHost = await sparsityReport(host);
    // float32 tensors against float64 host data: same counts, measures within float32 rounding.
    expect(fromModel.total.bytes).toEqual(fromHost.total.bytes);
    expect(fromModel.total.gini).toBeCloseTo(fromHost.total.gini, 6);
    expect(fromModel.layers.map((l) => l.name)).toEqual(Object.keys(host));
  });

  it('accepts a Map, filters by name and counts |x| <= tol as zero everywhere', async () => {
    const r = await sparsityReport(new Map(Object.entries(host)), { filter: /weight$/, tol: 1.5 });
    expect(r.tol).toBe(1.5);
    expect(r.layers.map((l) => l.name)).toEqual(['layers.0.weight', 'layers.2.weight']);
    expect(r.layers[0].nonZeros).toBe(3); // 1 falls under tol
    expect(r.layers[0].gini).toBe(gini([0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 4]));
    expect(r.layers[1]).toMatchObject({ nonZeros: 0, deadNeurons: { outputs: 2, inputs: 3 }, bytes: { compacted: 0 } });
    const byShape = await sparsityReport(host, { filter: (_, shape) => shape.length === 1 });
    expect(byShape.layers).toHaveLength(2);
  });

  it('treats rank > 2 kernels as [out, rest] matrices', async () => {
    const conv = new Float32Array(2 * 2 * 3 * 3);
    conv[0] = 1; // filter 0 uses one tap; filter 1 is dead
    const r = await sparsityReport({ 'conv.weight': { data: conv, shape: [2, 2, 3, 3] } });
    expect(r.layers[0].deadNeurons).toEqual({ outputs: 1, inputs: 17 });
    expect(r.layers[0].multiplyAdds).toEqual({ dense: 36, sparse: 1, compacted: 1 });
  });

  it('is plain JSON-ready data', async () => {
    const r = await sparsityReport(host);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('rejects NaN (naming the parameter and index), bad shapes, empty sources and unknown kinds', async () => {
    await expect(sparsityReport({ w: [1, NaN] })).rejects.toThrow(
      new ValueError('sparsityReport', 'w[1] must be a finite number, got number NaN'),
    );
    await expect(sparsityReport({ w: tensor([1, Infinity], [2]) })).rejects.toThrow(
      'sparsityReport: w[1] must be a finite number, got number Infinity',
    );
    await expect(sparsityReport({ w: { data: [1, 2, 3], shape: [2, 2] } })).rejects.toThrow(
      new ShapeError('sparsityReport', "parameter 'w' has shape [2, 2] (4 values) but 3 values"),
    );
    await expect(sparsityReport({ w: [] })).rejects.toThrow(ShapeError);
    await expect(sparsityReport({})).rejects.toThrow(
      new ValueError('sparsityReport', 'the source has no parameters to report (after options.filter)'),
    );
    await expect(sparsityReport({ w: 3 as never })).rejects.toThrow(
      "parameter 'w' must be a Tensor, { value: Tensor }, { data, shape } or an array of numbers, got number 3",
    );
    await expect(sparsityReport([1, 2] as never)).rejects.toThrow(ValueError);
    const twice = {
      namedParameters: () =>
        [
          ['a', tensor([1], [1])],
          ['a', tensor([1], [1])],
        ] as [string, ReturnType<typeof tensor>][],
    };
    await expect(sparsityReport(twice)).rejects.toThrow("parameter name 'a' appears twice");
    await expect(sparsityReport(host, { tol: -1 })).rejects.toThrow(
      'options.tol must be a finite number >= 0, got number -1',
    );
    await expect(sparsityReport(host, { filter: 'weight' as never })).rejects.toThrow(ValueError);
  });
});
