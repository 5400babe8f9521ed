/**
 * Regularizing a model: which parameters get which regularizer, as a loss term or as the
 * per-group `prox` of a proximal optimizer (ProximalSGD, ProximalAdam).
 */
import { add, Module, type Parameter, type Variable } from '@sparsekit/autograd';
import { checkOptions, describeValue, ValueError } from '@sparsekit/tensor';
import type { ParameterSelector } from './pruning.js';
import type { Prox, Regularizer } from './regularizer.js';

/** One regularizer on the parameters a selector picks (default: every 2-D parameter named `…weight`, so never biases). */
export interface RegularizationRule {
  /** Which parameters: a RegExp on the dotted name, a predicate, or (default) the weights. */
  parameters?: ParameterSelector;
  /** The penalty or constraint they get. */
  regularizer: Regularizer;
}

/**
 * What to regularize: one regularizer on the weights, or rules tried in order (the first
 * rule that selects a parameter gives its regularizer), so per-layer strengths are rules
 * with their own λ ahead of a catch-all.
 */
export type RegularizationSpec = Regularizer | RegularizationRule | readonly RegularizationRule[];

/** A parameter with the regularizer a {@link RegularizationSpec} gives it. */
export interface RegularizedParameter {
  readonly name: string;
  readonly parameter: Parameter;
  readonly regularizer: Regularizer;
}

const RULE_KEYS = ['parameters', 'regularizer'] as const;

function isRegularizer(x: unknown): x is Regularizer {
  const r = x as Regularizer;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof r.value === 'function' &&
    typeof r.subgradient === 'function' &&
    typeof r.prox === 'function'
  );
}

function rulesOf(fn: string, spec: unknown): RegularizationRule[] {
  const list = isRegularizer(spec)
    ? [{ regularizer: spec }]
    : Array.isArray(spec)
      ? spec
      : spec !== null && typeof spec === 'object'
        ? [spec]
        : null;
  if (list === null || list.length === 0) {
    throw new ValueError(
      fn,
      `spec must be a regularizer, a { parameters?, regularizer } rule or a non-empty array of rules, got ${describeValue(spec)}`,
    );
  }
  return list.map((rule: unknown, i: number) => {
    const where = Array.isArray(spec) ? `spec[${i}]` : 'spec';
    checkOptions(fn, rule, RULE_KEYS, where);
    const { parameters, regularizer } = rule as RegularizationRule;
    if (!isRegularizer(regularizer))
      throw new ValueError(
        fn,
        `${where}.regularizer must be a regularizer { value, subgradient, prox }, got ${describeValue(regularizer)}`,
      );
    if (parameters !== undefined && !(parameters instanceof RegExp) && typeof parameters !== 'function') {
      throw new ValueError(
        fn,
        `${where}.parameters must be a RegExp or a function (name, parameter) => boolean, got ${describeValue(parameters)}`,
      );
    }
    return { parameters, regularizer };
  });
}

function selects(rule: RegularizationRule, name: string, p: Parameter): boolean {
  const s = rule.parameters;
  if (s === undefined) return p.rank === 2 && /(^|\.)weight$/.test(name);
  return s instanceof RegExp ? new RegExp(s.source, s.flags.replace('g', '')).test(name) : s(name, p) === true;
}

/**
 * The model's parameters that a spec regularizes, each with its regularizer, in
 * `namedParameters()` order. A rule that selects no parameter is an error (a typo in a
 * pattern would otherwise silently regularize nothing).
 */
export function regularizedParameters(model: Module, spec: RegularizationSpec): RegularizedParameter[] {
  return resolve('regularizedParameters', model, spec);
}

function resolve(fn: string, model: Module, spec: RegularizationSpec): RegularizedParameter[] {
  if (!(model instanceof Module)) throw new ValueError(fn, `model must be a Module, got ${describeValue(model)}`);
  const rules = rulesOf(fn, spec);
  const used = rules.map(() => false);
  const out: RegularizedParameter[] = [];
  const names: string[] = [];
  for (const [name, parameter] of model.namedParameters()) {
    names.push(name);
    const i = rules.findIndex((r) => selects(r, name, parameter));
    if (i < 0) continue;
    used[i] = true;
    out.push({ name, parameter, regularizer: rules[i].regularizer });
  }
  const unused = used.indexOf(false);
  if (unused >= 0) {
    throw new ValueError(
      fn,
      `rule ${unused} (${rules[unused].regularizer.name}) selects none of the model's parameters (${names.join(', ') || 'none'})`,
    );
  }
  return out;
}

/**
 * The penalty Σ R_p(p) over the regularized parameters, as a scalar variable to add to the
 * loss (the gradient then flows into each parameter; constraints give +∞ outside their set,
 * so put them in {@link proxGroups} instead).
 */
export function penaltyLoss(model: Module, spec: RegularizationSpec): Variable {
  const chosen = resolve('penaltyLoss', model, spec);
  return chosen.map(({ parameter, regularizer }) => regularizer.value(parameter)).reduce((a, b) => add(a, b));
}

/** The prox of a parameter nobody regularizes: the identity. */
const UNREGULARIZED: Prox = { prox: (w) => w };

/** A parameter group for a proximal optimizer: its parameters and their prox. */
export interface ProxGroup {
  params: Parameter[];
  prox: Prox;
}

/**
 * Parameter groups for a proximal optimizer (`new ProximalAdam(proxGroups(model, spec), { lr })`):
 * one group per rule with its regularizer as the group's `prox`, and a last group of the
 * remaining parameters (biases, by default) whose prox is the identity. Spread more
 * hyperparameters into a group to give it its own (`{ ...group, lr: 0.1 }`).
 */
export function proxGroups(model: Module, spec: RegularizationSpec): ProxGroup[] {
  const chosen = resolve('proxGroups', model, spec);
  const groups = new Map<Regularizer, Parameter[]>();
  for (const { parameter, regularizer } of chosen) {
    const list = groups.get(regularizer) ?? [];
    list.push(parameter);
    groups.set(regularizer, list);
  }
  const taken = new Set(chosen.map((c) => c.parameter));
  const rest = model.parameters().filter((p) => !taken.has(p));
  const out: ProxGroup[] = [...groups].map(([prox, params]) => ({ params, prox }));
  if (rest.length > 0) out.push({ params: rest, prox: UNREGULARIZED });
  return out;
}
