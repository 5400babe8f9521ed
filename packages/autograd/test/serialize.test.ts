import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import * as A from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

describe('save and load', () => {
  it('round-trips parameters through the versioned JSON + binary form', async () => {
    const a = A.mlp([4, 3, 2], { seed: 1 });
    const saved = await A.saveParameters(a);
    expect(saved.manifest).toEqual({
      format: 'sparsekit-params',
      version: 1,
      params: [
        { name: 'layers.0.weight', shape: [3, 4], offset: 0 },
        { name: 'layers.0.bias', shape: [3], offset: 12 },
        { name: 'layers.2.weight', shape: [2, 3], offset: 15 },
        { name: 'layers.2.bias', shape: [2], offset: 21 },
      ],
    });
    const { json, buffer } = A.encodeParameters(saved);
    const b = A.mlp([4, 3, 2], { seed: 99 });
    A.loadParameters(b, A.decodeParameters(json, new Uint8Array(buffer)));
    for (const [[, p], [, q]] of [...a.namedParameters()].map((e, i) => [e, [...b.namedParameters()][i]])) {
      expect(q.value.dataSync()).toEqual(p.value.dataSync());
    }
    expect(A.saveParametersSync(b).data).toEqual(saved.data);
  });

  it('refuses a mismatched model, naming the first mismatched parameter and shapes, and changes nothing', () => {
    const small = A.saveParametersSync(A.mlp([4, 3, 2], { seed: 1 }));
    const other = A.mlp([4, 5, 2], { seed: 2 });
    const before = A.saveParametersSync(other).data;
    expect(() => A.loadParameters(other, small)).toThrow(
      "loadParameters: parameter 'layers.0.weight' has shape [5, 4] in the model but [3, 4] in the saved parameters",
    );
    expect(A.saveParametersSync(other).data).toEqual(before);
    const longer = new A.Sequential(new A.Linear(4, 3), new A.ReLU(), new A.Linear(3, 2), new A.Linear(2, 2));
    expect(() => A.loadParameters(longer, small)).toThrow(/model parameter 'layers.3.weight' \[2, 2\] is missing/);
    expect(() => A.loadParameters(other, { ...small, manifest: { ...small.manifest, version: 2 as 1 } })).toThrow(
      /unsupported manifest.version 2/,
    );
  });

  it('refuses NaN or ±Inf values, naming the parameter and element, and changes nothing', () => {
    const model = A.mlp([2, 2], { seed: 1 });
    const saved = A.saveParametersSync(model);
    const before = saved.data.slice();
    for (const bad of [NaN, Infinity, -Infinity]) {
      const data = saved.data.slice();
      data[5] = bad;
      expect(() => A.loadParameters(model, { ...saved, data })).toThrow(
        `loadParameters: parameter 'layers.0.bias' holds ${bad} at element 1; parameters must be finite`,
      );
    }
    expect(A.saveParametersSync(model).data).toEqual(before);
  });

  it('saveParameters returns a Promise of { manifest, data }; saveParametersSync the object itself', async () => {
    const model = A.mlp([2, 2], { seed: 1 });
    const pending = A.saveParameters(model);
    expect(pending).toBeInstanceOf(Promise);
    expect((await pending).data).toEqual(A.saveParametersSync(model).data);
  });
});
