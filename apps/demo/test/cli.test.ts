// The built CLI end to end, as `pnpm demo` runs it (`node dist/cli.js`; turbo's test task
// builds the package first): a tiny run of every experiment, flag errors, and Ctrl-C.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoResults } from '../src/experiments/types.js';
import { RESULTS_ELEMENT_ID } from '../src/report/ids.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI with `args` (the backend auto-selected), stdout a pipe so progress is plain lines. */
function start(args: string[]): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b) => (stdout += b));
  child.stderr?.on('data', (b) => (stderr += b));
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const run = (args: string[]) => start(args).done;

/** Resolves when the child's stdout has printed a line matching `pattern`; rejects if it exits first. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onExit = (code: number | null) =>
      reject(new Error(`the CLI exited (${code}) before printing ${pattern}:\n${seen}`));
    const listener = (b: Buffer) => {
      seen += b;
      if (pattern.test(seen)) {
        child.stdout?.off('data', listener);
        child.off('exit', onExit);
        resolve();
      }
    };
    child.stdout?.on('data', listener);
    child.once('exit', onExit);
  });
}

let root: string;
beforeAll(() => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: build the demo first (pnpm --filter @sparsekit/demo build)`);
  root = mkdtempSync(join(tmpdir(), 'sk-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a tiny run of every experiment', () => {
  let result: Run;
  let results: DemoResults;
  let html: string;
  const out = () => join(root, 'tiny');

  beforeAll(async () => {
    result = await run([
      '--experiments',
      'lasso,mnist,ksvd',
      '--methods',
      'adam,prox-adam-l1',
      '--epochs',
      '1',
      '--train-size',
      '500',
      '--test-size',
      '300',
      '--ksvd-image-size',
      '64',
      '--ksvd-atoms',
      '32',
      '--ksvd-iterations',
      '2',
      '--ksvd-patches',
      '500',
      '--out',
      out(),
    ]);
    results = JSON.parse(readFileSync(join(out(), 'results.json'), 'utf8'));
    html = readFileSync(join(out(), 'report.html'), 'utf8');
  });

  it('exits 0 after printing the backend, plain progress lines, the table and the findings', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^SparseKit demo · backend \w+ \((auto-selected|requested)\) · seed 7\n/);
    expect(result.stdout).toMatch(/ {2}Adam {22}epoch {2}1\/1 {2}loss \d\.\d{4} {2}acc \d+\.\d\d%/);
    expect(result.stdout).toMatch(/│ method\s+│\s+λ │ test acc % │ zeros % │ Hoyer │/);
    expect(result.stdout).toContain('Headline: ');
    expect(result.stdout).toMatch(/K-SVD: 32 atoms of 8×8, σ = 25: PSNR noisy/);
    expect(result.stdout).toMatch(/Lasso: 400 × 200, support \{[\d, ]+\} recovered exactly/);
    expect(result.stdout).toContain(`Report:  file://${out()}/report.html`);
  });

  it('writes every number to results.json', () => {
    expect(results.meta.interrupted).toBe(false);
    expect(results.meta.finishedAt).not.toBeNull();
    expect(results.meta.config.mnist.trainSize).toBe(500);
    const [adam, prox] = results.mnist!.methods;
    expect([adam.method, prox.method]).toEqual(['adam', 'prox-adam-l1']);
    for (const m of [adam, prox]) {
      expect(m.testAccuracy).toBeGreaterThan(0.1);
      expect(m.testAccuracy).toBeLessThanOrEqual(1);
      expect(m.epochs).toHaveLength(1);
    }
    expect(adam.sparsity).toBe(0);
    expect(prox.sparsity).toBeGreaterThan(0);
    expect(results.lasso!.recovered).toBe(true);
    expect(results.lasso!.foundSupport).toEqual(results.lasso!.trueSupport);
    expect(results.ksvd!.psnrDenoised).toBeGreaterThan(results.ksvd!.psnrNoisy);
  });

  it('writes a self-contained report.html with Chart.js and the results inline', () => {
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/src="http/i);
    expect(html).toContain('Chart.js v4.6.1');
    const json = new RegExp(`<script type="application/json" id="${RESULTS_ELEMENT_ID}">(.*?)</script>`, 's').exec(
      html,
    );
    expect(JSON.parse(json?.[1] ?? 'null')).toEqual(results);
  });
});

describe('usage errors', () => {
  it.each([
    [['--epochs', 'many'], /argument 'many' is invalid\. expected a whole number/],
    [['--methods', 'adam,adamx'], /unknown name 'adamx'/],
    [['--no-such-flag'], /unknown option '--no-such-flag'/],
    [['--backend', 'tpu'], /Allowed choices are auto, webgpu/],
    [
      ['--epochs', '0'],
      /error: --epochs: resolveConfig: config\.mnist\.epochs must be an integer in \[1, 1000\], got number 0/,
    ],
    [['--train-size', '9000', '--test-size', '2000'], /error: --train-size: .*trainSize \+ testSize must be <= 10000/],
    [['--backend', 'webgpu'], /error: --backend: setBackend: backend 'webgpu' is not available/],
  ])('%j exits 2 with the error and the usage on stderr, writing nothing', async (args, message) => {
    const out = join(root, 'never');
    const r = await run([...args, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage: sparsekit-demo [options]');
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: sparsekit-demo [options]');
    expect(r.stdout).toContain('--experiments <list>');
    expect(r.stderr).toBe('');
  });
});

describe('Ctrl-C', () => {
  const longRun = (out: string) =>
    start([
      '-x',
      'mnist',
      '-m',
      'adam,sgd',
      '--epochs',
      '200',
      '--train-size',
      '1000',
      '--test-size',
      '200',
      '-o',
      out,
    ]);

  it('stops after the current batch, writes what finished marked interrupted, and exits 130', async () => {
    const out = join(root, 'interrupted');
    const { child, done } = longRun(out);
    await waitForLine(child, /epoch {2}2\/200/);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('Stopping after the current batch');
    expect(r.stdout).toContain('Interrupted: the results hold what finished before the stop.');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as DemoResults;
    expect(results.meta.interrupted).toBe(true);
    expect(results.meta.finishedAt).toBeNull();
    // Adam was cut short in its 3rd epoch or later, so no method finished.
    expect(results.mnist?.methods ?? []).toEqual([]);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('"interrupted":true');
  });

  it('exits 130 on a second Ctrl-C too', async () => {
    const out = join(root, 'quit');
    const { child, done } = longRun(out);
    await waitForLine(child, /epoch {2}1\/200/);
    child.kill('SIGINT');
    await waitForLine(child, /Stopping after the current batch/);
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
  });
});
