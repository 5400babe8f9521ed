import { type Tensor, ValueError } from '@sparsekit/tensor';
import { brandedInstanceOf, MODULE } from '../brand.js';
import { Parameter, type Variable } from '../variable.js';

/**
 * A layer or model. Parameters and sub-modules are found by walking the instance's own
 * fields in declaration order (as PyTorch does with attribute assignment), so a subclass
 * just assigns them: `this.weight = new Parameter(...)`, `this.layers = [...]`. Names join
 * the path with dots: `layers.0.weight`. Fields starting with `_` are skipped.
 */
export abstract class Module {
  /** `instanceof` that also recognises modules of another copy of this package (ESM next to CJS). */
  static [Symbol.hasInstance](x: unknown): boolean {
    return brandedInstanceOf(this, Module, MODULE, x);
  }

  /** Training mode (dropout active); see {@link Module.train} and {@link Module.eval}. */
  training = true;

  /** The forward pass. */
  abstract forward(x: Variable | Tensor): Variable;

  /** Same as {@link Module.forward}. */
  call(x: Variable | Tensor): Variable {
    return this.forward(x);
  }

  /** Direct sub-modules with their field names (array elements as `field.i`). */
  *namedChildren(): Generator<[string, Module]> {
    for (const [key, value] of Object.entries(this)) {
      if (key.startsWith('_')) continue;
      if (value instanceof Module) yield [key, value];
      else if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) if (item instanceof Module) yield [`${key}.${i}`, item];
      }
    }
  }

  /** Every parameter with its dotted path, depth first in declaration order. */
  *namedParameters(prefix = ''): Generator<[string, Parameter]> {
    const seen = new Set<Parameter>();
    for (const entry of this.walk(prefix)) {
      if (seen.has(entry[1])) continue;
      seen.add(entry[1]);
      yield entry;
    }
  }

  private *walk(prefix: string): Generator<[string, Parameter]> {
    for (const [key, value] of Object.entries(this)) {
      if (key.startsWith('_')) continue;
      const name = prefix + key;
      if (value instanceof Parameter) yield [name, value];
      else if (value instanceof Module) yield* value.walk(`${name}.`);
      else if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) {
          if (item instanceof Parameter) yield [`${name}.${i}`, item];
          else if (item instanceof Module) yield* item.walk(`${name}.${i}.`);
        }
      }
    }
  }

  /** The parameters as a flat name → parameter map (for optimizers' groups and pruning). */
  parameterMap(): Map<string, Parameter> {
    return new Map(this.namedParameters());
  }

  /** The parameters in {@link Module.namedParameters} order. */
  parameters(): Parameter[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }

  /** Sets training mode on this module and every sub-module. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ValueError('Module.train', `mode must be a boolean, got ${typeof mode}`);
    this.training = mode;
    for (const [, child] of this.namedChildren()) child.train(mode);
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Drops every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Disposes every parameter's value and gradient. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
  }

  /** Total number of parameter elements. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }
}

Object.defineProperty(Module.prototype, MODULE, { value: true });
