import { ValueError } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, ParameterLike, ParamGroupInput, StepOptions } from './contract.js';
import { Optimizer } from './optimizer.js';
import { HyperparameterCheck } from './validate.js';

/**
 * The pure form of an optimizer: `(options) → GradientTransformation`, with the options
 * merged over the defaults and validated as the class does (messages name `fnName`).
 */
export function pureForm<H extends object>(
  spec: OptimizerSpec<H>,
  fnName: string,
): (options?: Partial<H>) => GradientTransformation {
  return (options = {}) => {
    for (const [key, value] of Object.entries(options)) {
      if (!(key in spec.defaults) && value !== undefined) {
        throw new ValueError(
          fnName,
          `unknown option '${key}'; expected one of ${Object.keys(spec.defaults).join(', ')}`,
        );
      }
    }
    const merged = { ...spec.defaults } as Record<string, unknown>;
    for (const [key, value] of Object.entries(options)) if (value !== undefined) merged[key] = value;
    spec.validate(new HyperparameterCheck(fnName, merged), merged as H);
    return spec.transformation(merged as H);
  };
}

/** Constructor arguments of every optimizer class: parameters (or groups), then options. */
export type OptimizerParams<H extends object> = Iterable<ParameterLike> | ReadonlyArray<ParamGroupInput<H>>;
/** The options of an optimizer class: its hyperparameters and the step options. */
export type OptimizerOptions<H extends object> = Partial<H> & StepOptions;

export { Optimizer };
