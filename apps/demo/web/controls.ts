// The page's form: experiments, methods with their λ, the training budget, K-SVD's size and
// the backend. Every field is named after its URL parameter (url-state.ts), so reading the
// form is writing a query string, and the form is validated by the same parser as a link.
import {
  EXPERIMENTS,
  LAMBDA_CACHE,
  LAMBDA_MEANING,
  LAMBDA_METHODS,
  type LambdaMethod,
  METHOD_LABELS,
  MNIST_METHODS,
} from '../src/experiments/index.js';
import { WEB_BACKENDS, type WebSetup } from './url-state.js';

/** The form's buttons, for the page to wire. */
export interface ControlButtons {
  start: HTMLButtonElement;
  stop: HTMLButtonElement;
}

const EXPERIMENT_LABELS: Record<(typeof EXPERIMENTS)[number], string> = {
  lasso: 'Lasso support recovery',
  mnist: 'MNIST: ten ways to train',
  ksvd: 'K-SVD denoising',
};

/** The numeric fields: URL parameter, label, and the input's bounds. */
const NUMBER_FIELDS: readonly { name: string; label: string; min: number; step: string }[] = [
  { name: 'epochs', label: 'Epochs', min: 1, step: '1' },
  { name: 'train', label: 'Train digits', min: 10, step: '100' },
  { name: 'test', label: 'Test digits', min: 10, step: '100' },
  { name: 'seed', label: 'Seed', min: 0, step: '1' },
  { name: 'ksvd.imageSize', label: 'K-SVD image side', min: 16, step: '16' },
  { name: 'ksvd.atoms', label: 'K-SVD atoms', min: 2, step: '16' },
  { name: 'ksvd.iterations', label: 'K-SVD iterations', min: 1, step: '1' },
];

/** The URL parameters the form owns; reading the form replaces exactly these. */
const FORM_PARAMS: readonly string[] = [
  'experiments',
  'methods',
  'backend',
  ...LAMBDA_METHODS.map((m) => `lambda.${m}`),
  ...NUMBER_FIELDS.map((f) => f.name),
];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function testid<T extends HTMLElement>(node: T, id: string): T {
  node.dataset.testid = id;
  return node;
}

function checkbox(name: string, value: string, label: string): HTMLLabelElement {
  const input = testid(el('input', { type: 'checkbox', name, value }), `${name}-${value}`);
  return el('label', { className: 'check' }, [input, ` ${label}`]);
}

function lambdaInput(method: LambdaMethod): HTMLInputElement {
  const cached = LAMBDA_CACHE.methods[method]?.lambda;
  return testid(
    el('input', {
      type: 'number',
      name: `lambda.${method}`,
      min: '0',
      step: 'any',
      className: 'lambda',
      placeholder: cached === undefined ? 'λ' : `λ ${cached}`,
      title: `λ: ${LAMBDA_MEANING[method]}. Empty: the cross-validated value cached in lambdas.json${cached === undefined ? '' : ` (${cached})`}.`,
    }),
    `lambda-${method}`,
  );
}

/** Builds the form's fields and buttons inside `form`, empty; {@link fillForm} sets them. */
export function buildForm(form: HTMLFormElement): ControlButtons {
  const experiments = el('fieldset', {}, [
    el('legend', { textContent: 'Experiments' }),
    ...EXPERIMENTS.map((e) => checkbox('experiments', e, EXPERIMENT_LABELS[e])),
  ]);
  const methods = el('fieldset', { className: 'methods' }, [
    el('legend', { textContent: 'Methods (λ empty: cross-validated)' }),
    ...MNIST_METHODS.map((m) => {
      const row = el('div', { className: 'method' }, [checkbox('methods', m, METHOD_LABELS[m])]);
      if ((LAMBDA_METHODS as readonly string[]).includes(m)) row.append(lambdaInput(m as LambdaMethod));
      return row;
    }),
  ]);
  const backend = testid(
    el(
      'select',
      { name: 'backend' },
      WEB_BACKENDS.map((b) =>
        el('option', { value: b, textContent: b === 'auto' ? 'auto (WebGPU → WebGL2 → WebAssembly)' : b }),
      ),
    ),
    'backend-select',
  );
  const budget = el('fieldset', { className: 'numbers' }, [
    el('legend', { textContent: 'Budget' }),
    ...NUMBER_FIELDS.map((f) =>
      el('label', {}, [
        `${f.label} `,
        testid(el('input', { type: 'number', name: f.name, min: String(f.min), step: f.step }), `input-${f.name}`),
      ]),
    ),
    el('label', {}, ['Backend ', backend]),
  ]);
  const start = testid(el('button', { type: 'submit', textContent: 'Start' }), 'start');
  const stop = testid(el('button', { type: 'button', textContent: 'Stop', disabled: true }), 'stop');
  form.append(experiments, methods, budget, el('div', { className: 'buttons' }, [start, stop]));
  return { start, stop };
}

/** Sets every field of the form from `setup`; λ fields without an explicit value stay empty. */
export function fillForm(form: HTMLFormElement, setup: WebSetup): void {
  const { config } = setup;
  const lists: Record<string, readonly string[]> = { experiments: config.experiments, methods: config.mnist.methods };
  const numbers: Record<string, number | undefined> = {
    epochs: config.mnist.epochs,
    train: config.mnist.trainSize,
    test: config.mnist.testSize,
    seed: config.seed,
    'ksvd.imageSize': config.ksvd.imageSize,
    'ksvd.atoms': config.ksvd.atoms,
    'ksvd.iterations': config.ksvd.iterations,
  };
  for (const m of LAMBDA_METHODS) numbers[`lambda.${m}`] = config.mnist.lambdas[m];
  for (const input of form.querySelectorAll('input')) {
    if (input.type === 'checkbox') input.checked = lists[input.name]?.includes(input.value) ?? false;
    else if (input.name in numbers) input.value = numbers[input.name] === undefined ? '' : String(numbers[input.name]);
  }
  (form.elements.namedItem('backend') as HTMLSelectElement).value = setup.backend;
}

/**
 * Puts the raw values of a query string the parser refused into the fields it names, over
 * whatever they hold, so fixing one bad parameter keeps the rest of the link. A number field
 * given text the browser cannot hold shows empty.
 */
export function fillFormFromQuery(form: HTMLFormElement, search: string): void {
  const params = new URLSearchParams(search);
  for (const field of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
    const raw = params.get(field.name);
    if (raw === null || !FORM_PARAMS.includes(field.name)) continue;
    if (field instanceof HTMLInputElement && field.type === 'checkbox') {
      field.checked = raw.split(',').some((v) => v.trim() === field.value);
    } else field.value = raw;
  }
}

/**
 * The query string the form describes: `base`'s parameters the form does not own, then the
 * form's own (checked lists comma-joined, empty fields left out).
 */
export function readForm(form: HTMLFormElement, base: string): string {
  const params = new URLSearchParams(base);
  for (const name of FORM_PARAMS) params.delete(name);
  const data = new FormData(form);
  for (const list of ['experiments', 'methods']) params.set(list, data.getAll(list).join(','));
  for (const [name, value] of data) {
    if (name === 'experiments' || name === 'methods' || typeof value !== 'string' || value.trim() === '') continue;
    params.set(name, value.trim());
  }
  return params.toString();
}

/** Enables the fields and Start while idle; only Stop while a run is going. */
export function setRunning(form: HTMLFormElement, buttons: ControlButtons, running: boolean): void {
  for (const field of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
    field.disabled = running;
  }
  buttons.start.disabled = running;
  buttons.stop.disabled = !running;
}
