import { ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { defaultConfig, resolveConfig } from '../src/experiments/index.js';
import { WEB_DIGITS, WEB_IMAGE_SIDE } from '../web/assets.js';
import { defaultSetup, PARAM_NAMES, parseSetup, setupToSearch, WEB_BACKENDS } from '../web/url-state.js';

describe('parseSetup', () => {
  it('gives the CLI defaults on the shipped subset for an empty query', () => {
    const s = parseSetup('');
    expect(s.backend).toBe('auto');
    expect(s.config).toEqual(resolveConfig({ mnist: { trainSize: 2400, testSize: 600 } }));
    expect(s.config.mnist.trainSize + s.config.mnist.testSize).toBe(WEB_DIGITS);
    expect(s.config.mnist.methods).toEqual(defaultConfig().mnist.methods);
  });

  it('maps every short and dotted parameter onto the configuration', () => {
    const s = parseSetup(
      '?backend=webgl2&experiments=mnist,ksvd&methods=adam,prox-adam-l1&epochs=1&train=500&test=200&batch=32&seed=3' +
        '&lambda.prox-adam-l1=0.002&pruning.finalSparsity=0.8&ksvd.imageSize=32&ksvd.atoms=16&lasso.features=50',
    );
    expect(s.backend).toBe('webgl2');
    expect(s.config.experiments).toEqual(['mnist', 'ksvd']);
    expect(s.config.mnist).toMatchObject({
      methods: ['adam', 'prox-adam-l1'],
      epochs: 1,
      trainSize: 500,
      testSize: 200,
      batchSize: 32,
      lambdas: { 'prox-adam-l1': 0.002 },
    });
    expect(s.config.mnist.pruning.finalSparsity).toBe(0.8);
    expect(s.config.seed).toBe(3);
    expect(s.config.ksvd).toMatchObject({ imageSize: 32, atoms: 16 });
    expect(s.config.lasso.features).toBe(50);
  });

  it('names the parameter and the value it refuses', () => {
    const refused: [string, RegExp][] = [
      ['epochs=abc', /URL parameter 'epochs' must be an integer, got 'abc'/],
      ['epochs=1.5', /'epochs' must be an integer, got '1.5'/],
      ['epochs=', /'epochs' must be an integer, got ''/],
      ['lambda.prox-adam-l1=x', /'lambda.prox-adam-l1' must be a number, got 'x'/],
      ['epoch=3', /unknown URL parameter 'epoch'; expected one of backend, experiments, methods, epochs/],
      ['lambda.adam=0.1', /unknown URL parameter 'lambda.adam'/],
      ['backend=opengl', /'backend' must be one of auto, webgpu, webgl2, wasm, webgl, webasm, cpu, got 'opengl'/],
      ['seed=1&seed=2', /'seed' must appear once/],
      ['methods=adam,rmsprop', /URL parameter 'methods': .*config\.mnist\.methods\[1\] must be one of/],
      ['epochs=0', /URL parameter 'epochs': .*config\.mnist\.epochs must be an integer in \[1, 1000\], got number 0/],
      ['lambda.ftrl=-1', /URL parameter 'lambda.ftrl': .*must be a finite number >= 0, got number -1/],
      ['experiments=', /URL parameter 'experiments': .*config\.experiments\[0\]/],
      ['train=2500&test=600', /'train' \+ 'test' must be <= 3000 \(the digits this page ships\), got 2500 \+ 600/],
      [
        `ksvd.imageSize=${WEB_IMAGE_SIDE + 1}`,
        /'ksvd.imageSize' must be <= 256 \(the boats crop this page ships\), got 257/,
      ],
    ];
    for (const [query, message] of refused) {
      expect(() => parseSetup(query), query).toThrow(ValueError);
      expect(() => parseSetup(query), query).toThrow(message);
    }
  });

  it('allows data-hungry sizes for experiments that are not run', () => {
    expect(parseSetup('experiments=lasso&train=5000&test=600').config.mnist.trainSize).toBe(5000);
    expect(parseSetup('experiments=mnist&ksvd.imageSize=512').config.ksvd.imageSize).toBe(512);
  });

  it('knows every configuration field and every backend', () => {
    const d = defaultConfig();
    const dotted = [
      ...Object.keys(d.ksvd).map((k) => `ksvd.${k}`),
      ...Object.keys(d.lasso).map((k) => `lasso.${k}`),
      ...Object.keys(d.mnist.pruning).map((k) => `pruning.${k}`),
    ];
    expect(PARAM_NAMES).toEqual(expect.arrayContaining(['backend', 'seed', 'epochs', 'train', 'test', ...dotted]));
    for (const b of WEB_BACKENDS) expect(parseSetup(`backend=${b}`).backend).toBe(b);
  });
});

describe('setupToSearch', () => {
  it('is empty for the defaults and lists only what differs, commas unescaped', () => {
    expect(setupToSearch(defaultSetup())).toBe('');
    const s = parseSetup('seed=9&methods=prox-adam-l1,adam&backend=webgpu&ksvd.atoms=32');
    expect(setupToSearch(s)).toBe('backend=webgpu&methods=prox-adam-l1,adam&seed=9&ksvd.atoms=32');
  });

  it('round-trips: parsing the canonical link gives the same setup', () => {
    const queries = [
      '',
      'experiments=mnist&methods=sgd,pruning&epochs=3&train=1000&test=500&pruning.scope=layer&pruning.startEpoch=0&pruning.endEpoch=2',
      'backend=wasm&lambda.adam-l1=0.0005&lambda.l0-gates=0.2&lasso.noise=0.25&ksvd.sigma=15',
    ];
    for (const q of queries) {
      const s = parseSetup(q);
      expect(parseSetup(setupToSearch(s)), q).toEqual(s);
    }
  });
});
