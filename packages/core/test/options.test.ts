import { describe, expect, it } from 'vitest';
import { checkOptions, ValueError } from '../src/index.js';

describe('checkOptions', () => {
  it('passes undefined, an empty object and known keys', () => {
    expect(() => checkOptions('f', undefined, ['a'])).not.toThrow();
    expect(() => checkOptions('f', {}, [])).not.toThrow();
    expect(() => checkOptions('f', { a: 1, b: undefined }, ['a', 'b'])).not.toThrow();
  });

  it('rejects a non-object, naming the function, the argument and what came', () => {
    expect(() => checkOptions('f', 3, ['a'])).toThrow(new ValueError('f', 'options must be an object, got number 3'));
    expect(() => checkOptions('f', null, ['a'])).toThrow('f: options must be an object, got null');
    expect(() => checkOptions('f', [1], ['a'], 'config')).toThrow('f: config must be an object, got array of length 1');
    const tensor = Object.create({ [Symbol.for('sparsekit.tensor')]: true }, { shape: { value: [2] } });
    expect(() => checkOptions('f', tensor, ['a'])).toThrow('f: options must be an object, got Tensor of shape [2]');
    expect(() => checkOptions('f', { value: tensor, grad: null }, ['value', 'grad'])).toThrow(
      'f: options must be an object, got Variable — use .value',
    );
  });

  it('rejects an unknown key, listing the allowed ones and suggesting a near miss', () => {
    expect(() => checkOptions('matmul', { transpose_b: true }, ['transposeA', 'transposeB'])).toThrow(
      "matmul: unknown option 'transpose_b' in options (did you mean 'transposeB'?); allowed: transposeA, transposeB",
    );
    expect(() => checkOptions('f', { lr: 1 }, ['lamda'])).toThrow("f: unknown option 'lr' in options; allowed: lamda");
    expect(() => checkOptions('f', { lambda: 1 }, ['lamda'])).toThrow("(did you mean 'lamda'?)");
    expect(() => checkOptions('f', { b: 1 }, [])).toThrow("f: unknown option 'b' in options; it takes no options");
    expect(() => checkOptions('f', { b: 1 }, [])).toThrow(ValueError);
  });
});
