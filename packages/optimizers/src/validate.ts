import { checkOptions, describeValue, ValueError } from '@sparsekit/tensor';

/**
 * Checks an optimizer's hyperparameters in one place, each failure a `ValueError` that
 * names the optimizer, the hyperparameter (with its group: `paramGroups[1].lr`), what was
 * expected and what came.
 */
export class HyperparameterCheck {
  constructor(
    /** The optimizer (or op) the messages name. */
    readonly op: string,
    /** The hyperparameters being checked. */
    readonly values: object,
    /** Prefix of every name in messages, e.g. `paramGroups[1].`. */
    readonly prefix = '',
  ) {}

  /** The value of `name`. */
  get(name: string): unknown {
    return (this.values as Record<string, unknown>)[name];
  }

  /** Throws a `ValueError` about `name`. */
  fail(name: string, expected: string): never {
    throw new ValueError(this.op, `${this.prefix}${name} must be ${expected}, got ${describeValue(this.get(name))}`);
  }

  /** A finite number > 0. */
  positive(name: string): number {
    return this.finite(name, { gt: 0 });
  }

  /** A finite number >= 0. */
  nonNegative(name: string): number {
    return this.finite(name, { ge: 0 });
  }

  /** A decay rate in [0, 1) (β₁, β₂, momentum, ρ, α). */
  rate(name: string): number {
    return this.finite(name, { ge: 0, lt: 1 });
  }

  /** A learning rate: a finite number > 0, or a schedule (a function of the step count). */
  learningRate(name = 'lr'): void {
    const v = this.get(name);
    if (typeof v === 'function') return;
    this.finite(name, { gt: 0 });
  }

  /** true or false. */
  boolean(name: string): boolean {
    const v = this.get(name);
    if (typeof v !== 'boolean') this.fail(name, 'true or false');
    return v;
  }

  /** One of the given strings. */
  oneOf<T extends string>(name: string, choices: readonly T[]): T {
    const v = this.get(name);
    if (typeof v !== 'string' || !(choices as readonly string[]).includes(v))
      this.fail(name, `one of ${choices.map((c) => `'${c}'`).join(', ')}`);
    return v as T;
  }

  /** A positive integer, or Infinity where `infinite` is allowed. */
  count(name: string, options: { min?: number; infinite?: boolean } = {}): number {
    const v = this.get(name);
    const min = options.min ?? 1;
    const expected = `an integer >= ${min}${options.infinite ? ' or Infinity' : ''}`;
    if (options.infinite && v === Infinity) return v;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(name, expected);
    return v;
  }

  /** A finite number within the given bounds. */
  finite(name: string, bounds: { gt?: number; ge?: number; lt?: number } = {}): number {
    const v = this.get(name);
    const parts = [
      bounds.gt !== undefined ? `> ${bounds.gt}` : null,
      bounds.ge !== undefined ? `>= ${bounds.ge}` : null,
      bounds.lt !== undefined ? `< ${bounds.lt}` : null,
    ].filter(Boolean);
    const expected = `a finite number${parts.length ? ' ' : ''}${parts.join(' and ')}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(name, expected);
    if (bounds.gt !== undefined && !(v > bounds.gt)) this.fail(name, expected);
    if (bounds.ge !== undefined && !(v >= bounds.ge)) this.fail(name, expected);
    if (bounds.lt !== undefined && !(v < bounds.lt)) this.fail(name, expected);
    return v;
  }
}

/**
 * The options of a building-block transformation (`scaleByAdam({ b1, b2, eps })`, …): only
 * the known keys, merged over the defaults, then checked with a {@link HyperparameterCheck}
 * named after the transformation, so its messages read like an optimizer's. @internal
 */
export function transformOptions<O extends object>(
  op: string,
  options: Partial<O> | undefined,
  defaults: O,
  validate: (check: HyperparameterCheck) => void,
): O {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ValueError(op, `options must be an object, got ${describeValue(options)}`);
  }
  checkOptions(op, options, Object.keys(defaults));
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [k, v] of Object.entries(options ?? {})) if (v !== undefined) merged[k] = v;
  validate(new HyperparameterCheck(op, merged));
  return merged as O;
}
