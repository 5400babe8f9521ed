import { fit, Linear, mseLoss, type Parameter } from '@sparsekit/autograd';
import {
  add,
  kernelStats,
  matmul,
  memory,
  mul,
  randn,
  ShapeError,
  setBackend,
  Tensor,
  tensor,
  ValueError,
  zeros,
} from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import * as all from '../src/index.js';
import {
  Adam,
  adam,
  applyStep,
  applyStepAsync,
  applyUpdates,
  disposeState,
  IHT,
  iht,
  SGD,
  stateDictFromJSON,
  stateDictToJSON,
  stateTensors,
} from '../src/index.js';
import { params, setGrads, values } from './helpers.js';

beforeAll(() => {
  setBackend('cpu');
});

const START = [
  [0.5, -1, 2, 0.1, -0.3, 0.8],
  [0.2, -0.2],
];
const SHAPES = [[2, 3], [2]];
const gradOf = (vs: Float32Array[]) => vs.map((v) => v.map((x, i) => 2 * x - 0.3 * (i % 3) + 0.1 * x * x * x));

function train(opt: { step(): boolean }, ps: Parameter[], steps: number): void {
  for (let t = 0; t < steps; t++) {
    setGrads(ps, gradOf);
    opt.step();
  }
}

const bits = (a: Float32Array[], b: Float32Array[]) => a.every((x, k) => x.every((v, i) => Object.is(v, b[k][i])));

// Ten Adam steps from START: by the stateful class, and by the pure core with one step done by `step`.
const ADAM = { lr: 0.05, weightDecay: 0.01 };
function statefulAdamRun(): Float32Array[] {
  const ps = params(START, SHAPES);
  train(new Adam(ps, ADAM), ps, 10);
  return values(ps);
}
type PureStep = (
  tx: all.GradientTransformation,
  grads: Tensor[],
  state: all.StateTree,
  params: Tensor[],
) => { params: Tensor[]; state: all.StateTree };
function pureAdamRun(step: PureStep): Tensor[] {
  const tx = adam(ADAM);
  let theta = START.map((d, i) => tensor(Float32Array.from(d), SHAPES[i]));
  let state = tx.init(theta);
  for (let t = 0; t < 10; t++) {
    const grads = gradOf(theta.map((x) => x.dataSync())).map((g, i) => tensor(g, SHAPES[i]));
    ({ params: theta, state } = step(tx, grads, state, theta));
    grads.forEach((g) => g.dispose());
  }
  return theta;
}

describe('the pure core', () => {
  it('init/update/applyUpdates give exactly what the stateful Adam gives', () => {
    const theta = pureAdamRun((tx, grads, state, params) => {
      const r = tx.update(grads, state, params);
      const next = applyUpdates(params, r.updates);
      // As Optimizer.step does: state first, so the new θ reads the new moments.
      for (const x of [...stateTensors(r.state), ...next]) x.materializeSync();
      disposeState(state);
      params.forEach((x) => x.dispose());
      return { params: next, state: r.state };
    });
    expect(bits(values(theta), statefulAdamRun())).toBe(true);
  });

  it('a step that throws part-way (a schedule turning invalid in the second group) changes nothing and leaks nothing', () => {
    const ps = params(START, SHAPES);
    const opt = new Adam([{ params: [ps[0]] }, { params: [ps[1]], lr: (t: number) => (t < 1 ? 0.05 : -1) }], {
      lr: 0.05,
    });
    train(opt, ps, 1);
    setGrads(ps, gradOf);
    const before = values(ps);
    const state = JSON.stringify(opt.stateDict());
    const live = memory().liveTensors;
    for (let i = 0; i < 5; i++) expect(() => opt.step()).toThrow(ValueError);
    expect(memory().liveTensors).toBe(live);
    expect(bits(values(ps), before)).toBe(true);
    expect(JSON.stringify(opt.stateDict())).toBe(state);
  });

  it('never mutates the state it is given', () => {
    const tx = adam({ lr: 0.1 });
    const theta = [tensor([1, 2, 3])];
    const state = tx.init(theta);
    const before = JSON.stringify(state, (_k, v) => (v instanceof Tensor ? Array.from(v.dataSync()) : v));
    tx.update([tensor([1, 1, 1])], state, theta);
    expect(JSON.stringify(state, (_k, v) => (v instanceof Tensor ? Array.from(v.dataSync()) : v))).toBe(before);
  });
});

describe('Optimizer: construction', () => {
  it('validates hyperparameters, naming the optimizer, the parameter and the value', () => {
    const ps = params(START, SHAPES);
    expect(() => new Adam(ps, { lr: -1 })).toThrow(ValueError);
    expect(() => new Adam(ps, { lr: -1 })).toThrow('Adam: lr must be a finite number > 0, got number -1');
    expect(() => new Adam(ps, { beta2: 1 })).toThrow('beta2 must be a finite number >= 0 and < 1, got number 1');
    expect(() => new SGD(ps, { nesterov: true })).toThrow(/nesterov/);
    expect(() => new Adam(ps, { lr: 0.1, betas: [0.9, 0.99] } as never)).toThrow(/unknown option 'betas'/);
    expect(() => adam({ eps: 0 })).toThrow('adam: eps must be a finite number > 0, got number 0');
  });

  it('takes parameter groups with their own hyperparameters, validated per group', () => {
    const model = new Linear(3, 2, { seed: 1 });
    const bias = model.bias as Parameter;
    expect(() => new SGD([{ params: [model.weight] }, { params: [bias], lr: 0 }], { lr: 0.1 })).toThrow(
      'SGD: paramGroups[1].lr must be a finite number > 0, got number 0',
    );
    const opt = new SGD([{ params: [model.weight], weightDecay: 0.1 }, { params: [bias] }], { lr: 0.1 });
    expect(opt.paramGroups.map((g) => g.options.weightDecay)).toEqual([0.1, 0]);
    expect(opt.paramGroups.map((g) => g.options.lr)).toEqual([0.1, 0.1]);
    // Zero gradients: only the decayed group moves.
    const w0 = model.weight.value.dataSync();
    const b0 = bias.value.dataSync();
    model.weight.grad = tensor(new Float32Array(6), [2, 3]);
    bias.grad = tensor(new Float32Array(2), [2]);
    opt.step();
    expect(Array.from(model.weight.value.dataSync())).toEqual(
      Array.from(w0).map((w) => Math.fround(w - 0.1 * 0.1 * w)),
    );
    expect(Array.from(bias.value.dataSync())).toEqual(Array.from(b0));
  });

  it('rejects empty, duplicated and non-parameter inputs', () => {
    const ps = params(START, SHAPES);
    expect(() => new SGD([])).toThrow(/at least one parameter/);
    expect(() => new SGD([ps[0], ps[0]])).toThrow(/more than one place/);
    expect(() => new SGD([{ params: [ps[0]] }, { params: [ps[0]] }])).toThrow(/more than one place/);
    expect(() => new SGD([tensor([1])] as never)).toThrow(/must be a Parameter/);
  });
});

describe('Optimizer: steps', () => {
  // A transformation whose second step returns a state tensor that is already disposed, so the
  // step fails while realising (not while computing): the one step plan must roll back the same
  // way whichever driver ran it.
  const failsWhileRealising = (): all.GradientTransformation => {
    let calls = 0;
    return {
      name: 'failsWhileRealising',
      init: (ps) => ({ sums: ps.map((p) => zeros(p.shape)) }),
      update(grads, state) {
        calls++;
        const sums = grads.map((g, i) => add((state as { sums: Tensor[] }).sums[i], g));
        if (calls >= 2) sums[1].dispose();
        return { updates: grads.map((g) => mul(g, -0.1)), state: { sums } };
      },
    };
  };
  for (const driver of ['step', 'stepAsync', 'applyStep', 'applyStepAsync'] as const) {
    it(`${driver}: a failure while realising changes nothing and leaks nothing`, async () => {
      const tx = failsWhileRealising();
      if (driver === 'step' || driver === 'stepAsync') {
        const spec: all.OptimizerSpec<{ lr: number }> = {
          name: 'Failing',
          defaults: { lr: 0.1 },
          validate: (c) => c.positive('lr'),
          transformation: () => tx,
        };
        const ps = params(START, SHAPES);
        const opt = new all.Optimizer(spec, ps);
        train(opt, ps, 1);
        setGrads(ps, gradOf);
        const before = values(ps);
        const state = JSON.stringify(opt.stateDict());
        const live = memory().liveTensors;
        await expect(Promise.resolve().then(() => (driver === 'step' ? opt.step() : opt.stepAsync()))).rejects.toThrow(
          /was disposed/,
        );
        expect(memory().liveTensors).toBe(live);
        expect(bits(values(ps), before)).toBe(true);
        expect(JSON.stringify(opt.stateDict())).toBe(state);
        return;
      }
      let theta = START.map((d, i) => tensor(Float32Array.from(d), SHAPES[i]));
      let state = tx.init(theta);
      const grads = gradOf(values(theta)).map((g, i) => tensor(Float32Array.from(g), SHAPES[i]));
      ({ params: theta, state } = applyStep(tx, grads, state, theta));
      const before = values(theta);
      const stateBefore = values(stateTensors(state));
      const live = memory().liveTensors;
      await expect(
        Promise.resolve().then(() =>
          driver === 'applyStep' ? applyStep(tx, grads, state, theta) : applyStepAsync(tx, grads, state, theta),
        ),
      ).rejects.toThrow(/was disposed/);
      expect(memory().liveTensors).toBe(live);
      expect(theta.every((t) => !t.isDisposed) && stateTensors(state).every((t) => !t.isDisposed)).toBe(true);
      expect(bits(values(theta), before) && bits(values(stateTensors(state)), stateBefore)).toBe(true);
    });
  }

  it('throws on NaN/Inf gradients and changes nothing; skips with nonFinite: "skip"', () => {
    const ps = params(START, SHAPES);
    const opt = new Adam(ps, { lr: 0.1 });
    train(opt, ps, 3);
    const before = values(ps);
    const dict = stateDictToJSON(opt.stateDict());
    ps[1].grad = tensor([0, Number.NaN], [2]);
    ps[0].grad = tensor(new Float32Array(6), [2, 3]);
    expect(() => opt.step()).toThrow(/NaN or Inf/);
    expect(bits(values(ps), before)).toBe(true);
    expect(stateDictToJSON(opt.stateDict())).toBe(dict);

    const skipping = new Adam(params(START, SHAPES), { nonFinite: 'skip' });
    const qs = skipping.parameters() as Parameter[];
    qs.forEach((q) => (q.grad = tensor(new Float32Array(q.value.size).fill(Infinity), q.value.shape)));
    expect(skipping.step()).toBe(false);
    expect(() => new Adam(ps, { nonFinite: 'ignore' as 'skip' })).toThrow(/nonFinite/);
  });

  it('names a parameter without a gradient, or with a gradient of the wrong shape', () => {
    const ps = params(START, SHAPES);
    const opt = new SGD(ps);
    ps[0].grad = tensor(new Float32Array(6), [2, 3]);
    expect(() => opt.step()).toThrow(/paramGroups\[0\]\.params\[1\] \(shape \[2\]\) has no gradient/);
    ps[1].grad = tensor([1, 2, 3]);
    expect(() => opt.step()).toThrow(ShapeError);
  });

  it('stepAsync gives exactly what step gives', async () => {
    const a = params(START, SHAPES);
    const b = params(START, SHAPES);
    const oa = new Adam(a, { lr: 0.05, amsgrad: true });
    const ob = new Adam(b, { lr: 0.05, amsgrad: true });
    for (let t = 0; t < 5; t++) {
      setGrads(a, gradOf);
      setGrads(b, gradOf);
      oa.step();
      await ob.stepAsync();
    }
    expect(bits(values(a), values(b))).toBe(true);
  });

  it('zeroGrad drops every gradient', () => {
    const ps = params(START, SHAPES);
    const opt = new SGD(ps);
    setGrads(ps, gradOf);
    opt.zeroGrad();
    expect(ps.map((p) => p.grad)).toEqual([null, null]);
  });

  it('costs 3 kernel launches per parameter for an Adam step, plus the finiteness check; compiles nothing after the first steps', () => {
    const ps = params(START, SHAPES);
    const opt = new Adam(ps, { lr: 0.01 });
    train(opt, ps, 2);
    setGrads(ps, gradOf);
    const s0 = kernelStats();
    opt.step();
    const s1 = kernelStats();
    // Finiteness: one max-magnitude reduction per gradient, and a maximum to combine them.
    expect(s1.calls - s0.calls).toBe(3 * ps.length + ps.length + (ps.length - 1));
    train(opt, ps, 20);
    expect(kernelStats().compiled).toBe(s1.compiled);
  });

  it('every optimizer compiles nothing once its phases have run (hyperparameters are kernel arguments)', () => {
    const classes: Array<[string, object]> = [
      ['SGD', { momentum: 0.9, nesterov: true, weightDecay: 0.01 }],
      ['Adam', { amsgrad: true }],
      ['AdamW', {}],
      ['Adamax', {}],
      ['RMSprop', { centered: true, momentum: 0.5 }],
      ['Adagrad', { lrDecay: 0.01 }],
      ['Adadelta', {}],
      ['SubgradientSGD', { lambda: 0.1 }],
      ['ProximalSGD', { lambda: 0.1 }],
      ['ProximalAdam', { lambda: 0.1, penalty: 'l1/2' }],
      ['FTRL', { l1: 0.1, l2Shrinkage: 0.1 }],
      ['RDA', { lambda: 0.1, rho: 0.1 }],
      ['OBProxSG', { lambda: 0.1, proxSteps: 2 }],
      ['HSPG', { lambda: 0.1, proxSteps: 2 }],
      ['IHT', { k: 2, groups: 'rows' }],
    ];
    // IHT's k must fit every group: the bias [2] gets its own (k = 1 per one-element row).
    const grouped = (name: string, ps: Parameter[]) =>
      name === 'IHT' ? [{ params: [ps[0]] }, { params: [ps[1]], k: 1 }] : ps;
    for (const [name, options] of classes) {
      const ps = params(START, SHAPES);
      const Ctor = (
        all as unknown as Record<string, new (p: Parameter[], o: object) => { step(): boolean; dispose(): void }>
      )[name];
      const opt = new Ctor(grouped(name, ps) as Parameter[], { lr: 0.01, ...options });
      train(opt, ps, 4);
      const compiled = kernelStats().compiled;
      train(opt, ps, 6);
      expect([name, kernelStats().compiled - compiled]).toEqual([name, 0]);
      opt.dispose();
    }
  });

  it('keeps the number of live tensors constant over 200 steps', () => {
    const ps = params(START, SHAPES);
    const opt = new Adam(ps, { lr: 0.01, amsgrad: true });
    train(opt, ps, 2);
    const live = memory().liveTensors;
    train(opt, ps, 200);
    expect(memory().liveTensors).toBe(live);
    opt.dispose();
    expect(() => opt.step()).toThrow(/disposed/);
  });
});

describe('Optimizer: state dicts', () => {
  it('round-trip through JSON: a resumed run is bit-identical to an uninterrupted one', () => {
    const a = params(START, SHAPES);
    const oa = new Adam(a, { lr: 0.05, amsgrad: true });
    train(oa, a, 20);

    const b = params(START, SHAPES);
    const ob = new Adam(b, { lr: 0.05, amsgrad: true });
    train(ob, b, 10);
    const text = stateDictToJSON(ob.stateDict());
    const c = params(values(b), SHAPES);
    const oc = new Adam(c, { lr: 0.05, amsgrad: true });
    oc.loadStateDict(stateDictFromJSON(text));
    train(oc, c, 10);
    expect(bits(values(c), values(a))).toBe(true);
    expect(stateDictToJSON(oc.stateDict())).toBe(stateDictToJSON(oa.stateDict()));
  });

  it('restores serialisable hyperparameters', () => {
    const a = new SGD(params(START, SHAPES), { lr: 0.3, momentum: 0.5 });
    const b = new SGD(params(START, SHAPES), { lr: 0.1, momentum: 0.5 });
    b.loadStateDict(a.stateDict());
    expect(b.paramGroups[0].options.lr).toBe(0.3);
  });

  it('rejects a mismatched dict and changes nothing', () => {
    const ps = params(START, SHAPES);
    const opt = new Adam(ps, { lr: 0.05 });
    train(opt, ps, 3);
    const before = stateDictToJSON(opt.stateDict());
    const other = new SGD(params(START, SHAPES), { momentum: 0.9 });
    expect(() => opt.loadStateDict(other.stateDict())).toThrow(/saved by SGD, not Adam/);
    const ams = new Adam(params(START, SHAPES), { amsgrad: true }).stateDict();
    ams.paramGroups[0].options.amsgrad = false; // the state holds AMSGrad's extra moments
    expect(() => opt.loadStateDict(ams)).toThrow(/state\[0\]/);
    const wrongShape = new Adam(
      params(
        [
          [1, 2, 3, 4, 5, 6],
          [1, 2],
        ],
        [[3, 2], [2]],
      ),
    );
    expect(() => opt.loadStateDict(wrongShape.stateDict())).toThrow(ShapeError);
    expect(() => opt.loadStateDict({ format: 'nope' } as never)).toThrow(/format/);
    expect(stateDictToJSON(opt.stateDict())).toBe(before);
  });
});

// Issue 8, item 6: a loaded state dict with NaN/Inf used to be accepted, and the next step wrote NaN.
describe('Optimizer: loadStateDict checks values, not only shapes and layout', () => {
  const trained = () => {
    const ps = params(START, SHAPES);
    const opt = new Adam(ps, { lr: 0.05 });
    train(opt, ps, 3);
    return { ps, opt };
  };

  it.each([
    [
      'NaN in a first moment',
      (d: any) => (d.state[0][1].mu[0].$tensor.data[2] = NaN),
      /state\[0\]\[1\]\.mu\[0\] must hold finite numbers, got number NaN at element 2/,
    ],
    [
      '+Inf in a second moment',
      (d: any) => (d.state[0][1].nu[1].$tensor.data[0] = Infinity),
      /state\[0\]\[1\]\.nu\[1\] must hold finite numbers, got number Infinity at element 0/,
    ],
    [
      '-Inf in a second moment',
      (d: any) => (d.state[0][1].nu[0].$tensor.data[5] = -Infinity),
      /got number -Infinity at element 5/,
    ],
    ['a NaN step count', (d: any) => (d.state[0][1].count = NaN), /state\[0\]\[1\]\.count should be a number/],
    [
      'a NaN learning rate',
      (d: any) => (d.paramGroups[0].options.lr = NaN),
      /paramGroups\[0\]\.options\.lr must be a finite number, a flag or a name, got number NaN/,
    ],
    [
      'a string in tensor data',
      (d: any) => (d.state[0][1].mu[0].$tensor.data = ['1', 0, 0, 0, 0, 0]),
      /must hold finite numbers, got string "1" at element 0/,
    ],
  ])('rejects %s with a ValueError and changes nothing', (_what, corrupt, message) => {
    const { ps, opt } = trained();
    const dict = opt.stateDict();
    corrupt(dict);
    const before = stateDictToJSON(opt.stateDict());
    const fresh = new Adam(params(START, SHAPES), { lr: 0.05 });
    const freshBefore = stateDictToJSON(fresh.stateDict());
    expect(() => fresh.loadStateDict(dict)).toThrow(ValueError);
    expect(() => fresh.loadStateDict(dict)).toThrow(message);
    expect(stateDictToJSON(fresh.stateDict())).toBe(freshBefore);
    expect(stateDictToJSON(opt.stateDict())).toBe(before);
    // The rejected load did not poison the next step.
    setGrads(ps, gradOf);
    expect(opt.step()).toBe(true);
    expect(values(ps).every((v) => v.every(Number.isFinite))).toBe(true);
  });

  it('stateDictFromJSON turns bad text into a ValueError, not a raw SyntaxError', () => {
    expect(() => stateDictFromJSON('not json')).toThrow(ValueError);
    expect(() => stateDictFromJSON('not json')).toThrow(/stateDictFromJSON: text is not valid JSON/);
    expect(() => stateDictFromJSON('{"a":1}')).toThrow(
      /stateDictFromJSON: text must hold a state dict with format 'sparsekit-optimizer', got object \{a\}/,
    );
    expect(() => stateDictFromJSON(5 as never)).toThrow(
      /stateDictFromJSON: text must be a string of JSON, got number 5/,
    );
  });
});

// Issue 8, item 11: the pure-core loop, followed as documented, leaked ~10 tensors per
// parameter per step and recompiled kernels. applyStep realises and frees in one call.
describe('applyStep: the pure core used correctly', () => {
  it('gives exactly what the stateful Adam gives, bit for bit', () => {
    expect(bits(values(pureAdamRun(applyStep)), statefulAdamRun())).toBe(true);
  });

  it('keeps live tensors and compiled kernels flat over 500 steps', () => {
    const tx = adam({ lr: 0.01 });
    let theta = START.map((d, i) => tensor(Float32Array.from(d), SHAPES[i]));
    let state = tx.init(theta);
    let live = 0;
    let compiled = 0;
    for (let t = 0; t < 500; t++) {
      if (t === 5) {
        live = memory().liveTensors;
        compiled = kernelStats().compiled;
      }
      const grads = theta.map((x) => all.applyUpdates([x], [x])[0]);
      ({ params: theta, state } = applyStep(tx, grads, state, theta));
      grads.forEach((g) => g.dispose());
    }
    expect(memory().liveTensors).toBe(live);
    expect(kernelStats().compiled).toBe(compiled);
    // 2 parameters + m and v for each: nothing else survives.
    expect(theta.length + stateTensors(state).length).toBe(6);
  });

  it('consumes the params and state it was given, and says so when they are reused', () => {
    const tx = adam({ lr: 0.01 });
    const theta = [tensor([1, 2])];
    const state = tx.init(theta);
    const grads = [tensor([0.5, -0.5])];
    const next = applyStep(tx, grads, state, theta);
    expect(theta[0].isDisposed).toBe(true);
    expect(stateTensors(state).every((t) => t.isDisposed)).toBe(true);
    expect(grads[0].isDisposed).toBe(false);
    expect(() => applyStep(tx, grads, next.state, theta)).toThrow(
      /applyStep: params\[0\] was disposed \(a previous applyStep consumed it/,
    );
    expect(() => applyStep(tx, grads, state, next.params)).toThrow(/applyStep: state holds a disposed tensor/);
  });

  it('rejects NaN/Inf gradients (or skips with nonFinite: skip) and bad arguments before consuming anything', async () => {
    const tx = adam({ lr: 0.01 });
    const theta = [tensor([1, 2])];
    const state = tx.init(theta);
    const live = memory().liveTensors;
    expect(() => applyStep(tx, [tensor([NaN, 0])], state, theta)).toThrow(/applyStep: a gradient holds NaN or Inf/);
    const skipped = applyStep(tx, [tensor([Infinity, 0])], state, theta, { nonFinite: 'skip' });
    expect(skipped.params[0]).toBe(theta[0]);
    expect(skipped.state).toBe(state);
    expect(() => applyStep(tx, [tensor([1, 2, 3])], state, theta)).toThrow(ShapeError);
    expect(() => applyStep(tx, [], state, theta)).toThrow(/expected one gradient per parameter \(1\), got 0/);
    expect(() => applyStep({} as never, [tensor([1, 2])], state, theta)).toThrow(
      /applyStep: tx must be a gradient transformation/,
    );
    expect(() => applyStep(tx, [[1, 2]] as never, state, theta)).toThrow(
      /applyStep: grads\[0\] must be a Tensor, got array of length 2/,
    );
    expect(() => applyStep(tx, [tensor([1, 2])], state, theta, { nonfinite: 'skip' } as never)).toThrow(
      /unknown option 'nonfinite'/,
    );
    await expect(applyStepAsync(tx, [tensor([NaN, 0])], state, theta)).rejects.toThrow(
      /applyStepAsync: a gradient holds NaN or Inf/,
    );
    expect(theta[0].isDisposed).toBe(false);
    expect(stateTensors(state).every((t) => !t.isDisposed)).toBe(true);
    expect(memory().liveTensors).toBeGreaterThanOrEqual(live);
  });

  it('applyStepAsync gives exactly what applyStep gives', async () => {
    const tx = adam({ lr: 0.05 });
    const run = async (async: boolean) => {
      let theta = START.map((d, i) => tensor(Float32Array.from(d), SHAPES[i]));
      let state = tx.init(theta);
      for (let t = 0; t < 5; t++) {
        const grads = gradOf(theta.map((x) => x.dataSync())).map((g, i) => tensor(g, SHAPES[i]));
        ({ params: theta, state } = async
          ? await applyStepAsync(tx, grads, state, theta)
          : applyStep(tx, grads, state, theta));
        grads.forEach((g) => g.dispose());
      }
      return values(theta);
    };
    expect(bits(await run(true), await run(false))).toBe(true);
  });
});

// Issue 8, item 15: IHT used to accept a k larger than the tensor (a silent no-op projection).
describe('IHT: k must fit each group', () => {
  it('refuses k larger than a tensor (groups: tensor) or a row (groups: rows), in the class and the pure form', () => {
    const ps = params(START, SHAPES);
    expect(() => new IHT(ps, { k: 3 })).toThrow(
      /IHT: k must be at most the size of each group, got k = 3 where params\[1\] \(shape \[2\]\) holds 2/,
    );
    expect(() => new IHT([ps[0]], { k: 4, groups: 'rows' })).toThrow(
      /IHT: .*got k = 4 where a row of params\[0\] \(shape \[2, 3\]\) holds 3/,
    );
    expect(() => iht({ k: 7 }).init([tensor([1, 2, 3, 4, 5, 6])])).toThrow(ValueError);
    expect(
      () =>
        new IHT([
          { params: [ps[0]], k: 6 },
          { params: [ps[1]], k: 2 },
        ]),
    ).not.toThrow();
  });
});

describe('with @sparsekit/autograd', () => {
  it('trains a Linear model through fit()', async () => {
    const model = new Linear(4, 1, { seed: 3 });
    const x = randn([64, 4], { seed: 4 });
    const w = tensor([[1], [-2], [0.5], [0]]);
    const y = matmul(x, w).materializeSync();
    const opt = new Adam(model.parameters(), { lr: 0.05 });
    const history = await fit(model, {
      x,
      y,
      epochs: 30,
      batchSize: 16,
      loss: (out, target) => mseLoss(out, target),
      step: () => void opt.step(),
    });
    expect(history.loss[history.loss.length - 1]).toBeLessThan(history.loss[0] / 50);
  });
});
