import * as T from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import * as A from '../src/index.js';

// Misuse fails loudly: for every public function, wrong types, shapes, NaN/Inf, out-of-range
// values and unknown options each throw a SparseKitError subclass whose message names the
// function and the argument, and leave every input and every piece of state unchanged.

// Set now, not in beforeAll: the case table and its fixtures are built at collection time.
T.setBackend('cpu');

type Case = [what: string, call: () => unknown, message: RegExp, kind?: typeof T.ShapeError | typeof T.ValueError];

function fixtures() {
  const model = A.mlp([3, 4, 2], { seed: 1 });
  const x = T.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const m = T.tensor([
    [1, 2],
    [3, 4],
  ]);
  const v = T.tensor([1, -2, 3]);
  const labels = T.tensor([0, 1]);
  const p = new A.Parameter(T.tensor([0.5, -0.5, 1]));
  // One gradient already accumulated, to see that rejected calls leave .grad alone.
  A.tidy(() => A.sum(A.square(p)).backward());
  const saved = A.saveParametersSync(model);
  return { model, x, m, v, labels, p, saved };
}

function snapshot(f: ReturnType<typeof fixtures>): unknown {
  return {
    params: f.model.parameters().map((q) => Array.from(q.value.dataSync())),
    grads: f.model.parameters().map((q) => (q.grad ? Array.from(q.grad.dataSync()) : null)),
    training: f.model.training,
    tensors: [f.x, f.m, f.v, f.labels].map((t) => Array.from(t.dataSync())),
    p: Array.from(f.p.value.dataSync()),
    pGrad: Array.from(f.p.grad!.dataSync()),
    saved: Array.from(f.saved.data),
  };
}

function table(f: ReturnType<typeof fixtures>): Case[] {
  const { model, x, m, v, labels, p, saved } = f;
  const loss = (o: A.Variable, t: T.Tensor) => A.softmaxCrossEntropy(o, t);
  const step = () => {};
  return [
    // Graph
    [
      'Variable: value not a tensor',
      () => new A.Variable([1, 2] as never),
      /Variable: value must be a Tensor, got array of length 2/,
    ],
    [
      'Parameter: value not a tensor',
      () => new A.Parameter(3 as never),
      /Parameter: value must be a Tensor, got number 3/,
    ],
    [
      'Parameter.assign: wrong shape',
      () => p.assign(T.tensor([1, 2])),
      /Parameter.assign: value must have shape \[3\], got \[2\]/,
      T.ShapeError,
    ],
    ['Parameter.assign: not a tensor', () => p.assign([1, 2, 3] as never), /Parameter.assign: value must be a Tensor/],
    ['variable: not a tensor', () => A.variable('x' as never), /variable: value must be a Tensor, got string "x"/],
    [
      'variable: unknown option',
      () => A.variable(v, { requires_grad: true } as never),
      /variable: unknown option 'requires_grad'/,
    ],
    [
      'variable: requiresGrad not a boolean',
      () => A.variable(v, { requiresGrad: 1 } as never),
      /variable: options.requiresGrad must be true or false/,
    ],
    [
      'backward: wrong gradOutput shape',
      () => A.mul(p, 2).backward(T.tensor([1])),
      /backward: gradOutput must have the output's shape \[3\], got \[1\]/,
      T.ShapeError,
    ],
    [
      'backward: non-scalar without gradOutput',
      () => A.mul(p, 2).backward(),
      /backward: a gradOutput is needed/,
      T.ShapeError,
    ],
    [
      'backward: gradOutput not a tensor',
      () => A.mul(p, 2).backward({ gradOutput: [1, 2, 3] } as never),
      /backward: gradOutput must be a Tensor, got array of length 3/,
    ],
    [
      'backward: unknown option',
      () => A.sum(p).backward({ retain: true } as never),
      /backward: unknown option 'retain'/,
    ],
    [
      'backward: no gradient required',
      () => A.sum(A.variable(v, { requiresGrad: false })).backward(),
      /backward: this sum node does not require a gradient/,
    ],
    ['noGrad: not a function', () => A.noGrad(5 as never), /noGrad: fn must be a function, got number 5/],
    ['tidy: not a function', () => A.tidy(null as never), /tidy: fn must be a function, got null/],
    ['grad: not a function', () => A.grad('f' as never), /grad: f must be a function/],
    ['valueAndGrad: not a function', () => A.valueAndGrad({} as never), /valueAndGrad: f must be a function/],
    [
      'valueAndGrad: argument not a tensor',
      () => A.valueAndGrad((a) => A.sum(a))([1, 2] as never),
      /valueAndGrad: argument 0 must be a Tensor, got array of length 2/,
    ],
    [
      'valueAndGrad: f returns a number',
      () => A.valueAndGrad(() => 1 as never)(v),
      /valueAndGrad: f must return a Variable, got number 1/,
    ],
    [
      'valueAndGrad: non-scalar result',
      () => A.valueAndGrad((a) => A.mul(a, 2))(v),
      /valueAndGrad: f must return a one-element Variable, got shape \[3\]/,
      T.ShapeError,
    ],
    // Ops: wrong types, shapes, options
    ['add: a string', () => A.add(p, 'x' as never), /add: .*string "x"/],
    ['add: two numbers', () => A.add(1 as never, 2 as never), /add: at least one of a, b must be a Variable or Tensor/],
    ['add: shapes that do not broadcast', () => A.add(x, T.tensor([1, 2])), /add: .*\[2, 3\].*\[2\]/, T.ShapeError],
    [
      'mul: a plain object',
      () => A.mul(p, { value: v } as never),
      /mul: input 1 must be a Variable or a Tensor, got object \{value\}/,
    ],
    ['matmul: inner dimensions differ', () => A.matmul(x, m), /matmul: .*\[2, 3\].*\[2, 2\]/, T.ShapeError],
    [
      'matmul: unknown option',
      () => A.matmul(x, x, { transpose_b: true } as never),
      /matmul: unknown option 'transpose_b'/,
    ],
    ['sum: axis out of range', () => A.sum(x, { axis: 7 }), /sum: .*axis.*7/, T.ShapeError],
    ['sum: unknown option', () => A.sum(x, { axes: 1 } as never), /sum: unknown option 'axes'/],
    ['mean: axis out of range', () => A.mean(x, { axis: -3 }), /mean: .*axis.*-3/, T.ShapeError],
    ['softmax: axis out of range', () => A.softmax(x, 2), /softmax: .*axis.*2/, T.ShapeError],
    ['reshape: wrong size', () => A.reshape(x, [4, 2]), /reshape: .*\[2, 3\].*\[4, 2\]/, T.ShapeError],
    ['transpose: bad permutation', () => A.transpose(x, [0, 0]), /transpose: .*perm/],
    ['sliceRows: out of range', () => A.sliceRows(x, 1, 5), /sliceRows: .*5/],
    ['gather: index out of range', () => A.gather(x, [0, 9]), /gather: .*9/],
    [
      'concat: mismatched shapes',
      () => A.concat([x, m], 0),
      /concat: tensors\[1\] has shape \[2, 2\], incompatible with \[2, 3\]/,
      T.ShapeError,
    ],
    [
      'gather: indices not an array',
      () => A.gather(x, 'ab' as never),
      /gather: indices must be an array of integers or a 1-D Tensor, got string "ab"/,
    ],
    ['clip: NaN bound', () => A.clip(x, NaN, 1), /clip: .*NaN/],
    ['clip: min above max', () => A.clip(x, 2, 1), /clip: .*min.*max/],
    ['leakyRelu: NaN alpha', () => A.leakyRelu(x, NaN), /leakyRelu: .*alpha.*NaN/],
    [
      'softmaxCrossEntropyRows: shapes differ',
      () => A.softmaxCrossEntropyRows(x, m),
      /softmaxCrossEntropy: targets must have the logits' shape \[2, 3\], got \[2, 2\]/,
      T.ShapeError,
    ],
    // gradCheck
    ['gradCheck: f not a function', () => A.gradCheck(5 as never, [v]), /gradCheck: f must be a function/],
    [
      'gradCheck: inputs not tensors',
      () => A.gradCheck((a) => a, [[1]] as never),
      /gradCheck: inputs\[0\] must be a Tensor/,
    ],
    [
      'gradCheck: NaN eps',
      () => A.gradCheck((a) => a, [v], { eps: NaN }),
      /gradCheck: options.eps must be a finite number > 0, got number NaN/,
    ],
    [
      'gradCheck: Infinite tol',
      () => A.gradCheck((a) => a, [v], { tol: Infinity }),
      /gradCheck: options.tol must be a finite number > 0/,
    ],
    [
      'gradCheck: unknown option',
      () => A.gradCheck((a) => a, [v], { step: 1e-3 } as never),
      /gradCheck: unknown option 'step'/,
    ],
    // nn
    ['Linear: zero features', () => new A.Linear(0, 2), /Linear: inFeatures must be a positive integer, got number 0/],
    [
      'Linear: NaN features',
      () => new A.Linear(2, NaN),
      /Linear: outFeatures must be a positive integer, got number NaN/,
    ],
    [
      'Linear: unknown init',
      () => new A.Linear(2, 2, { init: 'glorot' as never }),
      /Linear: init must be 'he' or 'xavier'/,
    ],
    [
      'Linear: unknown option',
      () => new A.Linear(2, 2, { bais: false } as never),
      /Linear: unknown option 'bais'.*did you mean 'bias'/,
    ],
    [
      'Linear: forward of a wrong width',
      () => model.forward(T.tensor([[1, 2]])),
      /matmul: .*\[1, 2\].*\[4, 3\]/,
      T.ShapeError,
    ],
    [
      'LeakyReLU: alpha not a number',
      () => new A.LeakyReLU('0.1' as never),
      /LeakyReLU: alpha must be a finite number, got string "0.1"/,
    ],
    ['Dropout: p = 1', () => new A.Dropout(1), /Dropout: p must be in \[0, 1\), got number 1/],
    ['Dropout: NaN p', () => new A.Dropout(NaN), /Dropout: p must be in \[0, 1\), got number NaN/],
    ['Dropout: unknown option', () => new A.Dropout(0.5, { sead: 1 } as never), /Dropout: unknown option 'sead'/],
    [
      'Sequential: a non-module layer',
      () => new A.Sequential({} as never),
      /Sequential: layers\[0\] must be a Module, got object \{\}/,
    ],
    ['mlp: one width', () => A.mlp([3]), /mlp: sizes must list at least 2 layer widths/],
    ['mlp: fractional width', () => A.mlp([3, 2.5]), /mlp: sizes\[1\] must be a positive integer, got number 2.5/],
    [
      'mlp: unknown activation',
      () => A.mlp([3, 2], { activation: 'gelu' as never }),
      /mlp: activation must be one of relu/,
    ],
    ['mlp: unknown option', () => A.mlp([3, 2], { activations: 'relu' } as never), /mlp: unknown option 'activations'/],
    ['Module.train: not a boolean', () => model.train('yes' as never), /Module.train: mode must be a boolean/],
    // Losses
    [
      'mseLoss: shapes differ',
      () => A.mseLoss(x, m),
      /mseLoss: target must have the prediction's shape \[2, 3\], got \[2, 2\]/,
      T.ShapeError,
    ],
    ['mseLoss: unknown option', () => A.mseLoss(x, x, { reduce: 'sum' } as never), /mseLoss: unknown option 'reduce'/],
    [
      'mseLoss: unknown reduction',
      () => A.mseLoss(x, x, { reduction: 'avg' as never }),
      /mseLoss: options.reduction must be 'mean', 'sum' or 'none', got 'avg'/,
    ],
    [
      'softmaxCrossEntropy: 1-D logits',
      () => A.softmaxCrossEntropy(v, labels),
      /softmaxCrossEntropy: logits must be 2-D/,
      T.ShapeError,
    ],
    [
      'softmaxCrossEntropy: label count',
      () => A.softmaxCrossEntropy(x, [0]),
      /softmaxCrossEntropy: labels must have one class per row \(2\), got 1/,
      T.ShapeError,
    ],
    [
      'softmaxCrossEntropy: array label out of range',
      () => A.softmaxCrossEntropy(x, [0, 3]),
      /softmaxCrossEntropy: labels\[1\] must be an integer in \[0, 3\), got number 3/,
    ],
    [
      'softmaxCrossEntropy: tensor label out of range',
      () => A.softmaxCrossEntropy(x, T.tensor([5, 0])),
      /softmaxCrossEntropy: labels\[0\] must be an integer class in \[0, 3\), got 5/,
    ],
    [
      'softmaxCrossEntropy: NaN tensor label',
      () => A.softmaxCrossEntropy(x, T.tensor([0, NaN])),
      /softmaxCrossEntropy: labels\[1\] .* got NaN/,
    ],
    [
      'softmaxCrossEntropy: labels a string',
      () => A.softmaxCrossEntropy(x, 'abc' as never),
      /softmaxCrossEntropy: labels must be integer classes/,
    ],
    [
      'binaryCrossEntropyWithLogits: shapes differ',
      () => A.binaryCrossEntropyWithLogits(x, m),
      /binaryCrossEntropyWithLogits: target must have the prediction's shape/,
      T.ShapeError,
    ],
    // Save / load
    [
      'saveParametersSync: not a module',
      () => A.saveParametersSync({} as never),
      /saveParametersSync: model must be a Module, got object \{\}/,
    ],
    [
      'loadParameters: not a module',
      () => A.loadParameters(null as never, saved),
      /loadParameters: model must be a Module, got null/,
    ],
    [
      'loadParameters: saved not an object',
      () => A.loadParameters(model, 'x' as never),
      /loadParameters: saved must be \{ manifest, data \}, got string "x"/,
    ],
    [
      'loadParameters: wrong format',
      () => A.loadParameters(model, { ...saved, manifest: { ...saved.manifest, format: 'npz' as never } }),
      /loadParameters: manifest.format must be 'sparsekit-params', got "npz"/,
    ],
    [
      'loadParameters: data not float32',
      () => A.loadParameters(model, { ...saved, data: Array.from(saved.data) as never }),
      /loadParameters: saved.data must be a Float32Array, got array of length/,
    ],
    [
      'loadParameters: NaN value',
      () => A.loadParameters(model, { ...saved, data: Float32Array.from(saved.data, (x, i) => (i === 0 ? NaN : x)) }),
      /loadParameters: parameter 'layers.0.weight' holds NaN at element 0/,
    ],
    [
      'loadParameters: Inf value',
      () =>
        A.loadParameters(model, {
          ...saved,
          data: Float32Array.from(saved.data, (x, i) => (i === 13 ? -Infinity : x)),
        }),
      /loadParameters: parameter 'layers.0.bias' holds -Infinity at element 1/,
    ],
    [
      'loadParameters: offset past the buffer',
      () => A.loadParameters(model, { ...saved, data: saved.data.slice(0, 20) }),
      /loadParameters: parameter 'layers.2.weight' at offset 16 runs past the buffer of 20 values/,
    ],
    [
      'loadParameters: bad manifest entry',
      () => A.loadParameters(model, { ...saved, manifest: { ...saved.manifest, params: [null] as never } }),
      /loadParameters: manifest.params\[0\] must be \{ name, shape, offset \}/,
    ],
    [
      'encodeParameters: not saved parameters',
      () => A.encodeParameters({ data: [1] } as never),
      /encodeParameters: saved must be \{ manifest, data: Float32Array \}/,
    ],
    [
      'decodeParameters: not JSON',
      () => A.decodeParameters('{', new ArrayBuffer(4)),
      /decodeParameters: json is not valid JSON/,
    ],
    [
      'decodeParameters: json not a string',
      () => A.decodeParameters(5 as never, new ArrayBuffer(4)),
      /decodeParameters: json must be a string, got number 5/,
    ],
    [
      'decodeParameters: buffer not bytes',
      () => A.decodeParameters('{}', [1, 2] as never),
      /decodeParameters: buffer must be an ArrayBuffer or Uint8Array, got array of length 2/,
    ],
    [
      'decodeParameters: ragged buffer',
      () => A.decodeParameters('{}', new ArrayBuffer(6)),
      /decodeParameters: buffer length must be a multiple of 4 bytes, got 6/,
    ],
    // fit (async: rejections)
    [
      'fit: x an array',
      () => A.fit(model, { x: [[1, 2, 3]] as never, y: labels, loss, step }),
      /fit: options.x must be a Tensor/,
    ],
    [
      'fit: y missing',
      () => A.fit(model, { x, loss, step } as never),
      /fit: options.y must be a Tensor .*got undefined/,
    ],
    ['fit: options missing', () => A.fit(model, undefined as never), /fit: options must be an object/],
    [
      'fit: model not a module',
      () => A.fit({ forward: () => null } as never, { x, y: labels, loss, step }),
      /fit: model must be a Module/,
    ],
    [
      'fit: unknown option',
      () => A.fit(model, { x, y: labels, loss, step, epoch: 3 } as never),
      /fit: unknown option 'epoch'.*did you mean 'epochs'/,
    ],
    [
      'fit: NaN epochs',
      () => A.fit(model, { x, y: labels, loss, step, epochs: NaN }),
      /fit: options.epochs must be a non-negative integer, got number NaN/,
    ],
    [
      'fit: zero batch size',
      () => A.fit(model, { x, y: labels, loss, step, batchSize: 0 }),
      /fit: options.batchSize must be a positive integer, got number 0/,
    ],
    [
      'fit: Infinite batch size',
      () => A.fit(model, { x, y: labels, loss, step, batchSize: Infinity }),
      /fit: options.batchSize must be a positive integer, got number Infinity/,
    ],
    [
      'fit: loss not a function',
      () => A.fit(model, { x, y: labels, loss: 'mse' as never, step }),
      /fit: options.loss must be a function, got string "mse"/,
    ],
    [
      'fit: step not a function',
      () => A.fit(model, { x, y: labels, loss, step: {} as never }),
      /fit: options.step must be a function/,
    ],
    [
      'fit: fractional seed',
      () => A.fit(model, { x, y: labels, loss, step, seed: 0.5 }),
      /fit: options.seed must be an integer, got number 0.5/,
    ],
    [
      'fit: sample counts differ',
      () => A.fit(model, { x, y: T.tensor([0, 1, 1]), loss, step }),
      /fit: x and y must have the same number of samples/,
      T.ShapeError,
    ],
    [
      'fit: no samples',
      () => A.fit(model, { x: T.zeros([0, 3]), y: T.zeros([0]), loss, step }),
      /fit: x must hold at least one sample/,
      T.ShapeError,
    ],
    [
      'fit: loss returns a number',
      () => A.fit(model, { x, y: labels, loss: () => 0 as never, step }),
      /fit: options.loss must return a Variable, got number 0/,
    ],
  ];
}

describe('misuse of @sparsekit/autograd', () => {
  const f = fixtures();
  const cases = table(f);
  it.each(cases)('%s', async (_what, call, message, kind = T.ValueError) => {
    const before = snapshot(f);
    const live = T.memory().liveTensors;
    let error: unknown;
    try {
      await call();
    } catch (e) {
      error = e;
    }
    expect(error, 'it must throw').toBeInstanceOf(T.SparseKitError);
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(message);
    expect(snapshot(f)).toEqual(before);
    // Nothing was allocated and left behind by the rejected call (cases build their own inputs, so ≤).
    expect(T.memory().liveTensors).toBeLessThanOrEqual(live + 4);
  });
});
