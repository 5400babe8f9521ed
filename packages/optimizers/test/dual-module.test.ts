import { createRequire } from 'node:module';
import * as autogradEsm from '@sparsekit/autograd';
import * as tensorEsm from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';

// The built ESM entry (typed by the sources: dist/ exists only after the build that `test` runs after).
const optimizersEsm = (await import('@sparsekit/optimizers' as string)) as typeof import('../src/index.js');

// Issue 8, item 13: the ESM and CJS builds loaded in one process used to reject each other's
// objects ("… must be a Parameter (value, grad, assign), got Parameter"). Brands, not classes,
// now decide, and the tensor package shares one backend between its copies.
const require = createRequire(import.meta.url);
const tensorCjs = require('@sparsekit/tensor') as typeof tensorEsm;
const autogradCjs = require('@sparsekit/autograd') as typeof autogradEsm;
const optimizersCjs = require('@sparsekit/optimizers') as typeof optimizersEsm;

type Side = { T: typeof tensorEsm; A: typeof autogradEsm; O: typeof optimizersEsm };
const esm: Side = { T: tensorEsm, A: autogradEsm, O: optimizersEsm };
const cjs: Side = { T: tensorCjs, A: autogradCjs, O: optimizersCjs };

// One Adam step on y = x·Wᵀ + b with the model from one build and the optimizer from the other;
// the result must equal the same step with everything from one build.
function oneStep(model: Side, optimizer: Side): Float32Array[] {
  model.T.setBackend('cpu');
  const layer = new model.A.Linear(3, 2, { seed: 7 });
  const x = model.T.tensor([
    [1, 2, 3],
    [-1, 0.5, 2],
  ]);
  const y = model.T.tensor([
    [1, 0],
    [0, 1],
  ]);
  const opt = new optimizer.O.Adam(layer.parameters(), { lr: 0.1 });
  model.A.tidy(() => model.A.mseLoss(layer.forward(x), y).backward());
  expect(opt.step()).toBe(true);
  return layer.parameters().map((p) => p.value.dataSync().slice());
}

describe('ESM and CJS builds in one process', () => {
  it('really are two copies of each package', () => {
    expect(tensorCjs.Tensor).not.toBe(tensorEsm.Tensor);
    expect(autogradCjs.Parameter).not.toBe(autogradEsm.Parameter);
    expect(optimizersCjs.Adam).not.toBe(optimizersEsm.Adam);
  });

  it('train one step across them, with the same numbers as within one build', () => {
    const reference = oneStep(esm, esm);
    expect(oneStep(esm, cjs)).toEqual(reference);
    expect(oneStep(cjs, esm)).toEqual(reference);
    expect(oneStep(cjs, cjs)).toEqual(reference);
  });

  it('recognise each other’s Variables, Parameters, Modules and Tensors', () => {
    const layer = new autogradCjs.Linear(2, 1, { seed: 1 });
    expect(layer).toBeInstanceOf(autogradEsm.Module);
    expect(layer.weight).toBeInstanceOf(autogradEsm.Parameter);
    expect(layer.weight).toBeInstanceOf(autogradEsm.Variable);
    expect(layer.weight.value).toBeInstanceOf(tensorEsm.Tensor);
    expect(new autogradEsm.Sequential(layer).parameters()).toHaveLength(2);
    expect(autogradEsm.tidy(() => autogradEsm.sum(autogradEsm.mul(layer.weight, 2))).requiresGrad).toBe(true);
    // An ordinary object still is not one.
    expect({ value: layer.weight.value }).not.toBeInstanceOf(autogradEsm.Parameter);
  });

  it('fit() of one build drives a model and optimizer of the other', async () => {
    tensorEsm.setBackend('cpu');
    const model = autogradCjs.mlp([2, 4, 1], { seed: 3 });
    const opt = new optimizersEsm.Adam(model.parameters(), { lr: 0.05 });
    const x = tensorEsm.randn([16, 2], { seed: 4 });
    const y = tensorEsm.sum(x, { axis: 1, keepDims: true });
    const h = await autogradEsm.fit(model, {
      x,
      y,
      epochs: 20,
      batchSize: 8,
      loss: (o, t) => autogradEsm.mseLoss(o, t),
      step: () => opt.step(),
    });
    expect(h.steps).toBe(40);
    expect(h.loss[19]).toBeLessThan(h.loss[0] / 4);
  });
});
