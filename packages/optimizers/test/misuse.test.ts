import * as T from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import * as O from '../src/index.js';
import { params, setGrads } from './helpers.js';

// Misuse fails loudly: for every public function, wrong types, shapes, NaN/Inf, out-of-range
// values and unknown options each throw a SparseKitError subclass whose message names the
// function and the argument, and leave parameters, gradients and optimizer state unchanged.

// Set now, not in beforeAll: the case table and its fixtures are built at collection time.
T.setBackend('cpu');

type Case = [what: string, call: () => unknown, message: RegExp, kind?: typeof T.ShapeError | typeof T.ValueError];

const START = [
  [0.5, -1, 2, 0.1, -0.3, 0.8],
  [0.2, -0.2],
];
const SHAPES = [[2, 3], [2]];
const grad = (vs: Float32Array[]) => vs.map((v) => v.map((x) => 2 * x));

function fixtures() {
  const ps = params(START, SHAPES);
  const opt = new O.Adam(ps, { lr: 0.05 });
  setGrads(ps, grad);
  opt.step();
  setGrads(ps, grad);
  const dict = opt.stateDict();
  const tx = O.adam({ lr: 0.1 });
  const theta = [T.tensor([1, 2])];
  const state = tx.init(theta);
  return { ps, opt, dict, tx, theta, state };
}
type F = ReturnType<typeof fixtures>;

function snapshot(f: F): unknown {
  return {
    params: f.ps.map((p) => Array.from(p.value.dataSync())),
    grads: f.ps.map((p) => Array.from(p.grad!.dataSync())),
    state: O.stateDictToJSON(f.opt.stateDict()),
    dict: O.stateDictToJSON(f.dict),
    theta: f.theta.map((t) => Array.from(t.dataSync())),
    pure: O.stateTensors(f.state).map((t) => Array.from(t.dataSync())),
  };
}

// Every optimizer class and its pure form, with one bad value of a hyperparameter it has.
const OPTIMIZERS: Array<[string, string, string, unknown]> = [
  ['SGD', 'sgd', 'momentum', 1],
  ['Adam', 'adam', 'beta2', 1],
  ['AdamW', 'adamw', 'weightDecay', -1],
  ['Adamax', 'adamax', 'eps', 0],
  ['RMSprop', 'rmsprop', 'alpha', NaN],
  ['Adagrad', 'adagrad', 'lrDecay', -0.1],
  ['Adadelta', 'adadelta', 'rho', Infinity],
  ['SubgradientSGD', 'subgradientSgd', 'lambda', -1],
  ['ProximalSGD', 'proximalSgd', 'penalty', 'l3'],
  ['ProximalAdam', 'proximalAdam', 'lambda', NaN],
  ['FTRL', 'ftrl', 'lrPower', 0.5],
  ['RDA', 'rda', 'rho', -1],
  ['OBProxSG', 'obproxSg', 'orthantSteps', 0],
  ['HSPG', 'hspg', 'groups', 'diagonal'],
  ['IHT', 'iht', 'k', 0],
];

function table(f: F): Case[] {
  const { ps, opt, dict, tx, theta, state } = f;
  const any = O as unknown as Record<string, any>;
  const cases: Case[] = [];
  for (const [cls, pure, name, bad] of OPTIMIZERS) {
    cases.push(
      [
        `${cls}: bad ${name}`,
        () => new any[cls](params(START, SHAPES), { [name]: bad }),
        new RegExp(`^${cls}: ${name} must be`),
      ],
      [
        `${cls}: NaN lr`,
        () => new any[cls](params(START, SHAPES), { lr: NaN }),
        new RegExp(`^${cls}: lr must be a finite number > 0, got number NaN`),
      ],
      [
        `${cls}: unknown option`,
        () => new any[cls](params(START, SHAPES), { learningRate: 0.1 }),
        new RegExp(`^${cls}: unknown option 'learningRate'`),
      ],
      [
        `${cls}: not parameters`,
        () => new any[cls]([{ value: [1, 2] }]),
        new RegExp(`^${cls}: paramGroups\\[0\\]\\.params\\[0\\] must be a Parameter \\(value, grad, assign\\)`),
      ],
      [`${pure}: bad ${name}`, () => any[pure]({ [name]: bad }), new RegExp(`^${pure}: ${name} must be`)],
      [
        `${pure}: unknown option`,
        () => any[pure]({ learning_rate: 0.1 }),
        new RegExp(`^${pure}: unknown option 'learning_rate'`),
      ],
    );
  }
  return [
    ...cases,
    // Construction
    ['Adam: params a number', () => new O.Adam(5 as never), /^Adam: params must be an iterable of parameters/],
    ['Adam: no parameters', () => new O.Adam([]), /^Adam: params must hold at least one parameter, got none/],
    [
      'Adam: a parameter twice',
      () => new O.Adam([ps[0], ps[0]]),
      /^Adam: paramGroups\[0\]\.params\[1\] appears in more than one place/,
    ],
    [
      'Adam: group with unknown option',
      () => new O.Adam([{ params: [ps[0]], momentum: 0.9 } as never]),
      /^Adam: paramGroups\[0\] has unknown option 'momentum'/,
    ],
    [
      'Adam: bad group hyperparameter',
      () => new O.Adam([{ params: [ps[0]] }, { params: [ps[1]], beta1: -0.1 }]),
      /^Adam: paramGroups\[1\]\.beta1 must be a finite number >= 0 and < 1, got number -0.1/,
    ],
    [
      'Adam: bad nonFinite',
      () => new O.Adam(ps, { nonFinite: 'ignore' as never }),
      /^Adam: nonFinite must be 'throw' or 'skip', got ignore/,
    ],
    ['Adam: options null', () => new O.Adam(ps, null as never), /^Adam: options must be an object, got null/],
    [
      'IHT: k larger than a tensor',
      () => new O.IHT(params(START, SHAPES), { k: 3 }),
      /^IHT: k must be at most the size of each group, got k = 3/,
    ],
    // Steps
    [
      'step: gradient of the wrong shape',
      () => {
        const q = params(START, SHAPES);
        const o = new O.SGD(q);
        q[0].grad = T.zeros([3, 2]);
        q[1].grad = T.zeros([2]);
        return o.step();
      },
      /^SGD: paramGroups\[0\]\.params\[0\] has shape \[2, 3\] but its gradient \[3, 2\]/,
      T.ShapeError,
    ],
    [
      'step: a missing gradient',
      () => new O.SGD(params(START, SHAPES)).step(),
      /^SGD: paramGroups\[0\]\.params\[0\] \(shape \[2, 3\]\) has no gradient/,
    ],
    [
      'step: gradient not a tensor',
      () => {
        const q = params(START, SHAPES);
        const o = new O.SGD(q);
        q[0].grad = [1, 2, 3, 4, 5, 6] as never;
        return o.step();
      },
      /^SGD: paramGroups\[0\]\.params\[0\]\.grad must be a Tensor/,
    ],
    [
      'step: NaN gradient',
      () => {
        ps[1].grad!.dispose();
        ps[1].grad = T.tensor([NaN, 0]);
        try {
          return opt.step();
        } finally {
          setGrads(ps, grad);
        }
      },
      /^Adam: a gradient holds NaN or Inf; the step was rejected and nothing changed/,
    ],
    [
      'stepAsync: -Inf gradient',
      async () => {
        ps[0].grad!.dispose();
        ps[0].grad = T.tensor([
          [0, 0, -Infinity],
          [0, 0, 0],
        ]);
        try {
          return await opt.stepAsync();
        } finally {
          setGrads(ps, grad);
        }
      },
      /^Adam: a gradient holds NaN or Inf/,
    ],
    [
      'step: after dispose',
      () => {
        const o = new O.SGD(params(START, SHAPES));
        o.dispose();
        return o.step();
      },
      /^SGD\.step: the optimizer was disposed/,
    ],
    // State dicts
    [
      'loadStateDict: not a dict',
      () => opt.loadStateDict('x' as never),
      /^Adam\.loadStateDict: expected a state dict with format 'sparsekit-optimizer', got string/,
    ],
    [
      'loadStateDict: another optimizer',
      () => opt.loadStateDict({ ...dict, optimizer: 'SGD' }),
      /^Adam\.loadStateDict: the state dict was saved by SGD, not Adam/,
    ],
    [
      'loadStateDict: another version',
      () => opt.loadStateDict({ ...dict, version: 2 as 1 }),
      /^Adam\.loadStateDict: unsupported state dict version 2/,
    ],
    [
      'loadStateDict: a group too many',
      () => opt.loadStateDict({ ...dict, paramGroups: [...dict.paramGroups, dict.paramGroups[0]] }),
      /^Adam\.loadStateDict: expected 1 parameter group\(s\), got 2/,
    ],
    [
      'loadStateDict: a wrong shape',
      () => opt.loadStateDict({ ...dict, paramGroups: [{ ...dict.paramGroups[0], shapes: [[3, 2], [2]] }] }),
      /^Adam\.loadStateDict: paramGroups\[0\]\.params\[0\] has shape \[2, 3\], the state dict \[3, 2\]/,
      T.ShapeError,
    ],
    [
      'loadStateDict: a NaN moment',
      () => opt.loadStateDict(corrupt(dict, (d) => (d.state[0][1].mu[1].$tensor.data[0] = NaN))),
      /^Adam\.loadStateDict: state\[0\]\[1\]\.mu\[1\] must hold finite numbers, got number NaN at element 0/,
    ],
    [
      'loadStateDict: an Inf moment',
      () => opt.loadStateDict(corrupt(dict, (d) => (d.state[0][1].nu[0].$tensor.data[3] = Infinity))),
      /^Adam\.loadStateDict: state\[0\]\[1\]\.nu\[0\] must hold finite numbers, got number Infinity at element 3/,
    ],
    [
      'loadStateDict: a short tensor',
      () => opt.loadStateDict(corrupt(dict, (d) => (d.state[0][1].mu[1].$tensor.data = new Float32Array(1)))),
      /^Adam\.loadStateDict: state\[0\]\[1\]\.mu\[1\] should hold 2 values, got 1/,
    ],
    [
      'loadStateDict: a NaN hyperparameter',
      () => opt.loadStateDict(corrupt(dict, (d) => (d.paramGroups[0].options.beta1 = NaN))),
      /^Adam\.loadStateDict: paramGroups\[0\]\.options\.beta1 must be a finite number, a flag or a name, got number NaN/,
    ],
    [
      'loadStateDict: an out-of-range hyperparameter',
      () => opt.loadStateDict(corrupt(dict, (d) => (d.paramGroups[0].options.beta2 = 1))),
      /^Adam\.loadStateDict: paramGroups\[0\]\.beta2 must be a finite number >= 0 and < 1, got number 1/,
    ],
    [
      'loadStateDict: an unknown hyperparameter',
      () => opt.loadStateDict(corrupt(dict, (d) => (d.paramGroups[0].options.momentum = 0.9))),
      /^Adam\.loadStateDict: paramGroups\[0\] has unknown option 'momentum'/,
    ],
    [
      'stateDictToJSON: not a dict',
      () => O.stateDictToJSON(5 as never),
      /^stateDictToJSON: dict must be a state dict from stateDict\(\), got number 5/,
    ],
    [
      'stateDictFromJSON: not JSON',
      () => O.stateDictFromJSON('not json'),
      /^stateDictFromJSON: text is not valid JSON/,
    ],
    [
      'stateDictFromJSON: JSON of something else',
      () => O.stateDictFromJSON('[1, 2]'),
      /^stateDictFromJSON: text must hold a state dict/,
    ],
    [
      'stateDictFromJSON: not a string',
      () => O.stateDictFromJSON(undefined as never),
      /^stateDictFromJSON: text must be a string of JSON, got undefined/,
    ],
    // The pure core
    [
      'applyUpdates: length mismatch',
      () => O.applyUpdates(theta, []),
      /^applyUpdates: expected one update per parameter \(1\), got 0/,
    ],
    [
      'applyUpdates: wrong shape',
      () => O.applyUpdates(theta, [T.tensor([1, 2, 3])]),
      /^applyUpdates: updates\[0\] must have the shape of params\[0\] \[2\], got \[3\]/,
      T.ShapeError,
    ],
    [
      'applyUpdates: not tensors',
      () => O.applyUpdates([1] as never, [2] as never),
      /^applyUpdates: params\[0\] must be a Tensor, got number 1/,
    ],
    [
      'applyStep: NaN gradient',
      () => O.applyStep(tx, [T.tensor([NaN, 1])], state, theta),
      /^applyStep: a gradient holds NaN or Inf/,
    ],
    [
      'applyStep: wrong shape',
      () => O.applyStep(tx, [T.tensor([1])], state, theta),
      /^applyStep: grads\[0\] must have the shape of params\[0\] \[2\], got \[1\]/,
      T.ShapeError,
    ],
    [
      'applyStep: missing gradient',
      () => O.applyStep(tx, [], state, theta),
      /^applyStep: expected one gradient per parameter \(1\), got 0/,
    ],
    [
      'applyStep: not a transformation',
      () => O.applyStep(null as never, [T.tensor([1, 2])], state, theta),
      /^applyStep: tx must be a gradient transformation \(init, update\), got null/,
    ],
    [
      'applyStep: unknown option',
      () => O.applyStep(tx, [T.tensor([1, 2])], state, theta, { skip: true } as never),
      /^applyStep: unknown option 'skip'/,
    ],
    [
      'applyStepAsync: Inf gradient',
      () => O.applyStepAsync(tx, [T.tensor([1, Infinity])], state, theta),
      /^applyStepAsync: a gradient holds NaN or Inf/,
    ],
    // Building blocks
    [
      'chain: not a transformation',
      () => O.chain(O.identity(), 5 as never),
      /^chain: argument 1 must be a gradient transformation \(init, update\), got number 5/,
    ],
    ['scale: NaN', () => O.scale(NaN), /^scale: factor must be a finite number, got number NaN/],
    [
      'scaleByLearningRate: 0',
      () => O.scaleByLearningRate(0),
      /^scaleByLearningRate: lr must be a finite number > 0 or a schedule, got number 0/,
    ],
    [
      'learningRateAt: a schedule returning NaN',
      () => O.learningRateAt(() => NaN, 3),
      /^schedule: the learning-rate schedule must return a finite number >= 0, got NaN at step 3/,
    ],
    [
      'addDecayedWeights: negative',
      () => O.addDecayedWeights(-1),
      /^addDecayedWeights: weightDecay must be a finite number >= 0, got number -1/,
    ],
    [
      'clipByGlobalNorm: Infinity',
      () => O.clipByGlobalNorm(Infinity),
      /^clipByGlobalNorm: maxNorm must be a finite number > 0, got number Infinity/,
    ],
    [
      'trace: momentum 1',
      () => O.trace({ momentum: 1 }),
      /^trace: momentum must be a finite number >= 0 and < 1, got number 1/,
    ],
    [
      'trace: unknown option',
      () => O.trace({ momentum: 0.9, nesterof: true } as never),
      /^trace: unknown option 'nesterof' in options \(did you mean 'nesterov'\?\)/,
    ],
    ['trace: no options', () => O.trace(undefined as never), /^trace: options must be an object/],
    [
      'scaleByAdam: b1 = 1',
      () => O.scaleByAdam({ b1: 1 }),
      /^scaleByAdam: b1 must be a finite number >= 0 and < 1, got number 1/,
    ],
    [
      'scaleByAdam: unknown option',
      () => O.scaleByAdam({ beta1: 0.9 } as never),
      /^scaleByAdam: unknown option 'beta1'/,
    ],
    [
      'scaleByAdamax: eps 0',
      () => O.scaleByAdamax({ eps: 0 }),
      /^scaleByAdamax: eps must be a finite number > 0, got number 0/,
    ],
    [
      'scaleByRms: centered not a boolean',
      () => O.scaleByRms({ centered: 1 as never }),
      /^scaleByRms: centered must be true or false, got number 1/,
    ],
    [
      'scaleByAdagrad: negative accumulator',
      () => O.scaleByAdagrad({ initialAccumulatorValue: -1 }),
      /^scaleByAdagrad: initialAccumulatorValue must be a finite number >= 0, got number -1/,
    ],
    [
      'scaleByAdadelta: NaN rho',
      () => O.scaleByAdadelta({ rho: NaN }),
      /^scaleByAdadelta: rho must be a finite number >= 0 and < 1, got number NaN/,
    ],
    [
      'addL1Subgradient: NaN',
      () => O.addL1Subgradient(NaN),
      /^addL1Subgradient: lambda must be a finite number >= 0, got number NaN/,
    ],
    ['hardTopK: k 0', () => O.hardTopK(0, 'tensor'), /^hardTopK: k must be an integer >= 1, got 0/],
    [
      'hardTopK: unknown grouping',
      () => O.hardTopK(1, 'columns' as never),
      /^hardTopK: groups must be 'tensor' or 'rows', got columns/,
    ],
    [
      'groupNorm: unknown grouping',
      () => O.groupNorm(theta[0], 'blocks' as never),
      /^groupSum: groups must be one of rows, columns, tensor, got blocks/,
    ],
    // Schedules
    [
      'constantSchedule: negative',
      () => O.constantSchedule(-1),
      /^constantSchedule: lr must be a finite number >= 0, got number -1/,
    ],
    [
      'stepSchedule: stepSize 0',
      () => O.stepSchedule({ lr: 0.1, stepSize: 0 }),
      /^stepSchedule: stepSize must be an integer >= 1, got number 0/,
    ],
    [
      'stepSchedule: unknown option',
      () => O.stepSchedule({ lr: 0.1, stepSize: 1, step_size: 2 } as never),
      /^stepSchedule: unknown option 'step_size'/,
    ],
    [
      'exponentialSchedule: NaN gamma',
      () => O.exponentialSchedule({ lr: 0.1, gamma: NaN }),
      /^exponentialSchedule: gamma must be a finite number > 0, got number NaN/,
    ],
    [
      'exponentialSchedule: minLr above lr',
      () => O.exponentialSchedule({ lr: 0.1, gamma: 0.5, minLr: 1 }),
      /^exponentialSchedule: minLr must be a finite number in \[0, lr\], got number 1/,
    ],
    [
      'cosineSchedule: no options',
      () => O.cosineSchedule(undefined as never),
      /^cosineSchedule: options must be an object, got undefined/,
    ],
    [
      'cosineSchedule: restarts not a boolean',
      () => O.cosineSchedule({ lr: 0.1, period: 10, restarts: 'no' as never }),
      /^cosineSchedule: restarts must be true or false, got string "no"/,
    ],
    [
      'linearWarmup: then a string',
      () => O.linearWarmup({ warmupSteps: 5, then: 'cosine' as never }),
      /^linearWarmup: schedule must be a function or a number, got string "cosine"/,
    ],
    [
      'linearWarmup: unknown option',
      () => O.linearWarmup({ warmup: 5, then: 0.1 } as never),
      /^linearWarmup: unknown option 'warmup'/,
    ],
    [
      'joinSchedules: boundaries out of order',
      () => O.joinSchedules([0.1, 0.01, 0.001], [10, 5]),
      /^joinSchedules: boundaries\[1\] must be an integer >= 11, got number 5/,
    ],
  ];
}

function corrupt(dict: O.OptimizerStateDict, f: (d: any) => void): O.OptimizerStateDict {
  const copy = O.stateDictFromJSON(O.stateDictToJSON(dict));
  f(copy);
  return copy;
}

describe('misuse of @sparsekit/optimizers', () => {
  const f = fixtures();
  it.each(table(f))('%s', async (_what, call, message, kind = T.ValueError) => {
    const before = snapshot(f);
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
  });

  it('the optimizer and the pure loop still work after every rejected call', () => {
    expect(f.opt.step()).toBe(true);
    const r = O.applyStep(f.tx, [T.tensor([1, 1])], f.state, f.theta);
    expect(r.params[0].dataSync().every(Number.isFinite)).toBe(true);
  });
});
