// The page's setup lives in its URL, so a link reproduces a run. This module is the one
// translation between a query string and a DemoConfig (plus the backend): parse, validated by
// the experiments' own resolveConfig, and the canonical query string of a setup. Pure
// functions of strings; no DOM.
import { describeValue, ValueError } from '@sparsekit/tensor';
import {
  type DeepPartial,
  type DemoConfig,
  defaultConfig,
  LAMBDA_METHODS,
  resolveConfig,
} from '../src/experiments/index.js';
import { WEB_DIGITS, WEB_IMAGE_SIDE } from './assets.js';

/**
 * The backends a page may ask for: gpu.js's browser modes and SparseKit's own `wasm`; `auto`
 * is the tensor package's choice (WebGPU where an adapter answers, else WebGL2, else WebAssembly).
 */
export const WEB_BACKENDS = ['auto', 'webgpu', 'webgl2', 'wasm', 'webgl', 'webasm', 'cpu'] as const;
export type WebBackend = (typeof WEB_BACKENDS)[number];

/** Everything a run needs, as a link carries it. */
export interface WebSetup {
  config: DemoConfig;
  backend: WebBackend;
}

const FN = 'parseSetup';

/** The page's departures from the CLI's default run: the same run on the shipped 3,000-digit subset. */
function webDefaults(): DeepPartial<DemoConfig> {
  return { mnist: { trainSize: 2400, testSize: 600 } };
}

/** The setup of a page opened with no query string. */
export function defaultSetup(): WebSetup {
  return { config: resolveConfig(webDefaults()), backend: 'auto' };
}

type Kind = 'int' | 'number' | 'list' | 'text';

/** A URL parameter: where it goes in the configuration and how its text is read. */
interface Param {
  path: readonly string[];
  kind: Kind;
}

const config0 = defaultConfig();

/** Every parameter a link may carry besides `backend`, in the order a canonical link lists them. */
const PARAMS: ReadonlyMap<string, Param> = new Map<string, Param>([
  ['experiments', { path: ['experiments'], kind: 'list' }],
  ['methods', { path: ['mnist', 'methods'], kind: 'list' }],
  ['epochs', { path: ['mnist', 'epochs'], kind: 'int' }],
  ['train', { path: ['mnist', 'trainSize'], kind: 'int' }],
  ['test', { path: ['mnist', 'testSize'], kind: 'int' }],
  ['batch', { path: ['mnist', 'batchSize'], kind: 'int' }],
  ['seed', { path: ['seed'], kind: 'int' }],
  ...LAMBDA_METHODS.map((m): [string, Param] => [`lambda.${m}`, { path: ['mnist', 'lambdas', m], kind: 'number' }]),
  ...Object.entries(config0.mnist.pruning).map(([k, v]): [string, Param] => [
    `pruning.${k}`,
    { path: ['mnist', 'pruning', k], kind: typeof v === 'string' ? 'text' : 'number' },
  ]),
  ...(['ksvd', 'lasso'] as const).flatMap((section) =>
    Object.keys(config0[section]).map((k): [string, Param] => [
      `${section}.${k}`,
      { path: [section, k], kind: 'number' },
    ]),
  ),
]);

/** The URL parameter names, `backend` first: what the page's form and its error messages use. */
export const PARAM_NAMES: readonly string[] = ['backend', ...PARAMS.keys()];

function read(name: string, raw: string, kind: Kind): unknown {
  if (kind === 'text') return raw;
  if (kind === 'list') return raw.split(',').map((s) => s.trim());
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || (kind === 'int' && !Number.isInteger(value))) {
    throw new ValueError(
      FN,
      `URL parameter '${name}' must be ${kind === 'int' ? 'an integer' : 'a number'}, got '${raw}'`,
    );
  }
  return value;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]] = value;
}

function getPath(source: unknown, path: readonly string[]): unknown {
  let node = source;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}

function mergeInto(target: Record<string, unknown>, source: object): void {
  for (const [k, v] of Object.entries(source)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      mergeInto((target[k] ??= {}) as Record<string, unknown>, v);
    } else target[k] = v;
  }
}

/** The URL parameter of a `config.…` path in a resolveConfig message, if one names it. */
function paramOfMessage(message: string): string | undefined {
  let best: { name: string; length: number } | undefined;
  for (const [name, p] of PARAMS) {
    const path = `config.${p.path.join('.')}`;
    const at = message.indexOf(path);
    // The longest match wins: config.mnist.lambdas.adam-l1 over config.mnist.lambdas.
    if (at >= 0 && (!best || path.length > best.length)) best = { name, length: path.length };
  }
  return best?.name;
}

/**
 * The setup a query string describes: the web defaults ({@link webDefaults}) with each
 * parameter applied, then validated by the experiments' `resolveConfig` and checked against
 * the data the page ships. Lists are comma-separated (`methods=adam,prox-adam-l1`).
 * @throws ValueError naming the URL parameter for an unknown, repeated, unreadable or out-of-range one.
 */
export function parseSetup(search: string): WebSetup {
  const params = new URLSearchParams(search);
  const partial: Record<string, unknown> = {};
  mergeInto(partial, webDefaults());
  let backend: WebBackend = 'auto';
  const seen = new Set<string>();
  for (const [name, raw] of params) {
    if (seen.has(name)) throw new ValueError(FN, `URL parameter '${name}' must appear once, got it twice`);
    seen.add(name);
    if (name === 'backend') {
      if (!(WEB_BACKENDS as readonly string[]).includes(raw)) {
        throw new ValueError(FN, `URL parameter 'backend' must be one of ${WEB_BACKENDS.join(', ')}, got '${raw}'`);
      }
      backend = raw as WebBackend;
      continue;
    }
    const param = PARAMS.get(name);
    if (!param) {
      throw new ValueError(FN, `unknown URL parameter '${name}'; expected one of ${PARAM_NAMES.join(', ')}`);
    }
    setPath(partial, param.path, read(name, raw, param.kind));
  }
  let config: DemoConfig;
  try {
    config = resolveConfig(partial as DeepPartial<DemoConfig>);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const name = paramOfMessage(message);
    throw new ValueError(FN, name ? `URL parameter '${name}': ${message}` : message);
  }
  checkWebLimits(config);
  return { config, backend };
}

/** Rejects a configuration that needs more data than the page ships. */
function checkWebLimits(config: DemoConfig): void {
  const { trainSize, testSize } = config.mnist;
  if (config.experiments.includes('mnist') && trainSize + testSize > WEB_DIGITS) {
    throw new ValueError(
      FN,
      `URL parameters 'train' + 'test' must be <= ${WEB_DIGITS} (the digits this page ships), got ${trainSize} + ${testSize}`,
    );
  }
  if (config.experiments.includes('ksvd') && config.ksvd.imageSize > WEB_IMAGE_SIDE) {
    throw new ValueError(
      FN,
      `URL parameter 'ksvd.imageSize' must be <= ${WEB_IMAGE_SIDE} (the boats crop this page ships), got ${config.ksvd.imageSize}`,
    );
  }
}

function format(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  throw new ValueError(
    'setupToSearch',
    `a configuration value must be a number, string or list, got ${describeValue(value)}`,
  );
}

/**
 * The canonical query string of a setup (without `?`): only what differs from the page's
 * defaults, in {@link PARAM_NAMES} order, so equal setups give equal links and
 * `parseSetup(setupToSearch(s))` gives `s` back.
 */
export function setupToSearch(setup: WebSetup): string {
  const base = defaultSetup();
  const out: string[] = [];
  // Commas stay readable: they separate list items and need no escaping in a query.
  const add = (name: string, text: string) => out.push(`${name}=${encodeURIComponent(text).replace(/%2C/g, ',')}`);
  if (setup.backend !== base.backend) add('backend', setup.backend);
  for (const [name, p] of PARAMS) {
    const value = getPath(setup.config, p.path);
    if (value === undefined) continue;
    const text = format(value);
    const baseValue = getPath(base.config, p.path);
    if (baseValue !== undefined && format(baseValue) === text) continue;
    add(name, text);
  }
  return out.join('&');
}
