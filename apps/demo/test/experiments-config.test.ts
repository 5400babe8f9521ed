import { ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import {
  type DeepPartial,
  type DemoConfig,
  defaultConfig,
  EXPERIMENTS,
  LAMBDA_CACHE,
  LAMBDA_METHODS,
  MNIST_METHODS,
  resolveConfig,
} from '../src/experiments/index.js';

describe('defaultConfig', () => {
  it('is the default run: every experiment and method, 10 epochs on 8,000 / 2,000, batch 64, seed 7', () => {
    const c = defaultConfig();
    expect(c.seed).toBe(7);
    expect(c.experiments).toEqual([...EXPERIMENTS]);
    expect(c.mnist.methods).toEqual([...MNIST_METHODS]);
    expect(c.mnist).toMatchObject({ epochs: 10, trainSize: 8000, testSize: 2000, batchSize: 64, lambdas: {} });
    expect(c.mnist.pruning.finalSparsity).toBeGreaterThanOrEqual(0.9);
    expect(c.ksvd.sigma).toBe(25);
    expect(c.ksvd.patchSize).toBe(8);
  });

  it('returns a fresh object each time', () => {
    const a = defaultConfig();
    a.mnist.methods.pop();
    a.mnist.lambdas.adam = 1;
    expect(defaultConfig().mnist.methods).toHaveLength(10);
    expect(defaultConfig().mnist.lambdas).toEqual({});
  });

  it('has a cached λ for every method that takes one', () => {
    for (const m of LAMBDA_METHODS) {
      expect(LAMBDA_CACHE.methods[m].lambda).toBeGreaterThan(0);
    }
    expect(LAMBDA_CACHE.command).toMatch(/select-lambdas/);
    expect(Number.isNaN(Date.parse(LAMBDA_CACHE.date))).toBe(false);
  });
});

describe('resolveConfig', () => {
  it('gives the defaults for an empty or missing partial', () => {
    expect(resolveConfig({})).toEqual(defaultConfig());
    expect(resolveConfig()).toEqual(defaultConfig());
  });

  it('merges overrides field by field and replaces arrays whole', () => {
    const c = resolveConfig({
      seed: 3,
      experiments: ['mnist'],
      mnist: {
        epochs: 2,
        methods: ['adam', 'pruning'],
        lambdas: { 'prox-adam-l1': 5e-4 },
        pruning: { scope: 'layer' },
      },
      ksvd: { atoms: 64 },
    });
    const d = defaultConfig();
    expect(c.seed).toBe(3);
    expect(c.experiments).toEqual(['mnist']);
    expect(c.mnist).toEqual({
      ...d.mnist,
      epochs: 2,
      methods: ['adam', 'pruning'],
      lambdas: { 'prox-adam-l1': 5e-4 },
      pruning: { ...d.mnist.pruning, scope: 'layer' },
    });
    expect(c.ksvd).toEqual({ ...d.ksvd, atoms: 64 });
    expect(c.lasso).toEqual(d.lasso);
  });

  it('accepts a complete config unchanged', () => {
    const full = defaultConfig();
    full.mnist.epochs = 1;
    expect(resolveConfig(full)).toEqual(full);
  });

  const misuse: [string, DeepPartial<DemoConfig> | unknown, RegExp][] = [
    ['a config that is not an object', 5, /config must be an object/],
    [
      'an unknown top-level key, with a suggestion',
      { seeds: 1 },
      /unknown option 'seeds' in config \(did you mean 'seed'\?\)/,
    ],
    [
      'an unknown mnist key',
      { mnist: { epoch: 3 } },
      /unknown option 'epoch' in config\.mnist \(did you mean 'epochs'\?\)/,
    ],
    ['an unknown ksvd key', { ksvd: { dictionarySize: 3 } }, /unknown option 'dictionarySize' in config\.ksvd/],
    ['an unknown pruning key', { mnist: { pruning: { target: 0.9 } } }, /config\.mnist\.pruning/],
    [
      'a bad method name',
      { mnist: { methods: ['adam', 'prox-adam'] } },
      /config\.mnist\.methods\[1\] must be one of sgd, adam/,
    ],
    [
      'a method listed twice',
      { mnist: { methods: ['adam', 'adam'] } },
      /config\.mnist\.methods\[1\] must be listed once/,
    ],
    ['no methods', { mnist: { methods: [] } }, /config\.mnist\.methods must be a non-empty array/],
    [
      'a bad experiment name',
      { experiments: ['mnist', 'svd'] },
      /config\.experiments\[1\] must be one of lasso, mnist, ksvd, got .*svd/,
    ],
    ['0 epochs', { mnist: { epochs: 0 } }, /config\.mnist\.epochs must be an integer in \[1, 1000\], got number 0/],
    [
      'NaN epochs',
      { mnist: { epochs: Number.NaN } },
      /config\.mnist\.epochs must be an integer in \[1, 1000\], got number NaN/,
    ],
    ['fractional epochs', { mnist: { epochs: 1.5 } }, /config\.mnist\.epochs must be an integer/],
    ['epochs as a string', { mnist: { epochs: '3' } }, /config\.mnist\.epochs must be an integer/],
    [
      'a split larger than the digits',
      { mnist: { trainSize: 9000, testSize: 2000 } },
      /trainSize \+ testSize must be <= 10000/,
    ],
    ['batch size 0', { mnist: { batchSize: 0 } }, /config\.mnist\.batchSize/],
    [
      'a negative λ',
      { mnist: { lambdas: { 'prox-adam-l1': -1 } } },
      /config\.mnist\.lambdas\.prox-adam-l1 must be a finite number >= 0, got number -1/,
    ],
    [
      'a λ for an unknown method',
      { mnist: { lambdas: { proxadam: 1 } } },
      /unknown option 'proxadam' in config\.mnist\.lambdas/,
    ],
    [
      'a pruning target of 1',
      { mnist: { pruning: { finalSparsity: 1 } } },
      /config\.mnist\.pruning\.finalSparsity must be a finite number in \[0, 1\)/,
    ],
    [
      'a pruning window that ends before it starts',
      { mnist: { pruning: { startEpoch: 4, endEpoch: 4 } } },
      /endEpoch must be > startEpoch \(4\), got 4/,
    ],
    [
      'a bad pruning scope',
      { mnist: { pruning: { scope: 'row' } } },
      /config\.mnist\.pruning\.scope must be 'first-layer', 'global' or 'layer'/,
    ],
    [
      'a first-layer target the first layer cannot hold',
      { mnist: { pruning: { finalSparsity: 0.99 } } },
      /finalSparsity must be < 0\.987\d* with scope 'first-layer' \(the first layer holds 100352 of the 101632 weights\), got 0\.99/,
    ],
    ['a negative seed', { seed: -1 }, /config\.seed must be an integer in \[0, 2147483647\], got number -1/],
    ['σ = 0', { ksvd: { sigma: 0 } }, /config\.ksvd\.sigma/],
    [
      'a patch larger than 16',
      { ksvd: { patchSize: 17 } },
      /config\.ksvd\.patchSize must be an integer in \[2, 16\], got number 17/,
    ],
    [
      'more non-zeros than atoms',
      { ksvd: { atoms: 4, sparsity: 5 } },
      /config\.ksvd\.sparsity must be <= atoms \(4\), got 5/,
    ],
    [
      'a support larger than the features',
      { lasso: { features: 5, support: 6 } },
      /config\.lasso\.support must be <= features \(5\), got 6/,
    ],
    ['negative noise', { lasso: { noise: -0.1 } }, /config\.lasso\.noise/],
  ];
  for (const [what, partial, message] of misuse) {
    it(`rejects ${what} with a ValueError naming the field`, () => {
      expect(() => resolveConfig(partial as DeepPartial<DemoConfig>)).toThrow(ValueError);
      expect(() => resolveConfig(partial as DeepPartial<DemoConfig>)).toThrow(message);
    });
  }

  it('names itself in every message', () => {
    expect(() => resolveConfig({ mnist: { epochs: 0 } })).toThrow(/^resolveConfig: /);
  });
});
