#!/usr/bin/env node
/**
 * Sums the lanes of .ci/run into its closing line `N passed, N failed[, N skipped]`.
 *
 *   node .ci/summarize.mjs <out-dir>
 *
 * Reads <out-dir>/lanes.tsv, one line per lane or setup step, written by .ci/run:
 *   name <TAB> kind <TAB> exit status <TAB> seconds <TAB> report path
 * kinds:
 *   step       a setup step with no tests: a non-zero exit counts one failure;
 *   workspace  `pnpm test`: one vitest JSON report per workspace package with a `test`
 *              script, listed in <out-dir>/workspace.json (`pnpm ls -r --json`);
 *   vitest     one vitest JSON report;
 *   browser    the summary written by packages/tensor/test/browser/run.mjs.
 *
 * A lane never hides a crash: a missing or unreadable report, a non-zero exit with no
 * failed test, or tests vitest marked skipped because a hook failed all count as failures
 * (a lane with no report counts as many failures as the parity suite has cases per
 * backend, when that is known). The last line printed is the summary; everything before
 * it is detail. Exit status 0 only when nothing failed.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const out = process.argv[2] ?? '.ci/out';
const root = process.cwd();
const lines = [];
const say = (s = '') => lines.push(s);

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function firstLine(s, max = 400) {
  const l = String(s ?? '').split('\n')[0];
  return l.length > max ? `${l.slice(0, max)}…` : l;
}

const lanes = existsSync(join(out, 'lanes.tsv'))
  ? readFileSync(join(out, 'lanes.tsv'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [name, kind, rc, seconds, report] = l.split('\t');
        return { name, kind, rc: Number(rc), seconds: Number(seconds), report };
      })
  : [];

/** Counts of one vitest JSON report, with hook failures turned into failed tests. */
function vitestCounts(report, label) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  const perParityBackend = new Map();
  for (const file of report.testResults ?? []) {
    const results = file.assertionResults ?? [];
    const fileFailed = file.status === 'failed';
    const anyFailed = results.some((a) => a.status === 'failed');
    const notRun = new Map();
    for (const a of results) {
      const suite = a.ancestorTitles?.[0] ?? '';
      if (suite.startsWith('parity on ')) perParityBackend.set(suite, (perParityBackend.get(suite) ?? 0) + 1);
      if (a.status === 'passed') passed++;
      else if (a.status === 'failed') {
        failed++;
        failures.push(`${label} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
      } else if (fileFailed && !anyFailed) {
        // vitest marks every test of a describe whose beforeAll threw as skipped.
        failed++;
        notRun.set(suite, (notRun.get(suite) ?? 0) + 1);
      } else skipped++;
    }
    for (const [suite, n] of notRun) {
      failures.push(
        `${label} › ${relative(root, file.name ?? '?')} › ${suite}: ${n} tests not run (a beforeAll hook or the file failed; see the lane log)`,
      );
    }
    if (fileFailed && results.length === 0) {
      failed++;
      failures.push(
        `${label} › ${relative(root, file.name ?? '?')}: the file failed to load: ${firstLine(file.message)}`,
      );
    }
  }
  return { passed, failed, skipped, failures, perParityBackend };
}

let passed = 0;
let failed = 0;
let skipped = 0;
const allFailures = [];
const table = [];
let parityCasesPerBackend = null; // from the Node run: how many cases a broken lane loses

function laneBroken(lane, why, lost) {
  const n = Math.max(1, lost ?? 0);
  failed += n;
  allFailures.push(`${lane.name}: LANE BROKEN (${why}); counted as ${n} failed`);
  return n;
}

// Workspace lanes first: they tell how many parity cases each backend has.
const order = (k) => (k === 'workspace' ? 0 : 1);
lanes.forEach((l, i) => (l.index = i));
for (const lane of [...lanes].sort((a, b) => order(a.kind) - order(b.kind) || a.index - b.index)) {
  let p = 0;
  let f = 0;
  let s = 0;
  let note = '';
  if (lane.kind === 'step') {
    if (lane.rc !== 0) f += laneBroken(lane, `exit ${lane.rc}; see ${out}/${lane.name}.log`, 1);
  } else if (lane.kind === 'workspace' || lane.kind === 'vitest') {
    let reports = [];
    if (lane.kind === 'vitest') reports = [{ label: lane.name, path: lane.report }];
    else {
      const ws = readJson(join(out, 'workspace.json')) ?? [];
      for (const pkg of ws) {
        // The root's `test` is the turbo call itself, not a package's suite.
        if (pkg.path === root) continue;
        const manifest = readJson(join(pkg.path, 'package.json'));
        if (!manifest?.scripts?.test) continue;
        reports.push({ label: pkg.name, path: join(pkg.path, lane.report) });
      }
      if (reports.length === 0) note = 'no workspace package has a test script';
    }
    for (const r of reports) {
      const report = readJson(r.path);
      if (!report) {
        f += laneBroken(
          lane,
          `${r.label}: no vitest report at ${relative(root, r.path)}`,
          r.label === lane.name ? parityCasesPerBackend : 1,
        );
        continue;
      }
      if (lane.kind === 'workspace')
        copyFileSync(r.path, join(out, `vitest-${r.label.replace(/[^\w.-]+/g, '_')}.json`));
      const c = vitestCounts(report, r.label);
      if (r.label === '@sparsekit/tensor' && c.perParityBackend.size > 0)
        parityCasesPerBackend = Math.max(...c.perParityBackend.values());
      p += c.passed;
      s += c.skipped;
      f += c.failed;
      failed += c.failed;
      allFailures.push(...c.failures);
    }
    if (lane.rc !== 0 && f === 0)
      f += laneBroken(lane, `exit ${lane.rc} with no failed test; see ${out}/${lane.name}.log`, 1);
  } else if (lane.kind === 'browser') {
    const summary = readJson(lane.report);
    const backends = (process.env.SPARSEKIT_BROWSER_BACKENDS || 'webgl2,webgpu').split(',').filter(Boolean);
    if (!summary) {
      f += laneBroken(
        lane,
        `no summary at ${relative(root, lane.report)} (exit ${lane.rc})`,
        (parityCasesPerBackend ?? 1) * backends.length,
      );
    } else {
      const parts = [];
      for (const [name, b] of Object.entries(summary.backends ?? {})) {
        // A backend broken before it listed its cases reports one failure: count them all.
        if (b.crashed && b.total == null && parityCasesPerBackend) b.failed = Math.max(b.failed, parityCasesPerBackend);
        p += b.passed;
        f += b.failed;
        failed += b.failed;
        parts.push(`${name} ${b.passed}/${b.passed + b.failed}${b.crashed ? ' BROKEN' : ''}`);
        for (const x of b.failures ?? []) allFailures.push(`${lane.name}/${name} › ${x.name}: ${firstLine(x.error)}`);
        if (b.fatal && !(b.failures ?? []).some((x) => x.error === b.fatal))
          allFailures.push(`${lane.name}/${name}: ${firstLine(b.fatal)}`);
        // On SparseKit's wasm backend an op without a wasm kernel runs its gpu.js kernel by
        // design (tensor README, "The wasm backend"): counted in the note, not listed as failures.
        if (b.info?.name === 'wasm') {
          if (b.fallbacks?.length) parts.push(`(${name}: ${b.fallbacks.length} kernels on gpu.js by design)`);
        } else
          for (const fb of b.fallbacks ?? [])
            allFailures.push(`${lane.name}/${name}: warning: a kernel fell back: ${firstLine(fb)}`);
      }
      note = parts.join(', ');
      if (lane.rc !== 0 && f === 0)
        f += laneBroken(lane, `exit ${lane.rc} with no failed case; see ${out}/${lane.name}.log`, 1);
    }
  } else {
    f += laneBroken(lane, `unknown lane kind '${lane.kind}'`, 1);
  }
  passed += p;
  skipped += s;
  table.push({
    index: lane.index,
    lane: lane.name,
    kind: lane.kind,
    exit: lane.rc,
    seconds: lane.seconds,
    passed: p,
    failed: f,
    skipped: s,
    note,
  });
}
if (lanes.length === 0) {
  failed += 1;
  allFailures.push(`no lanes recorded in ${out}/lanes.tsv`);
}

say('');
say('==== .ci/run summary ====');
table.sort((a, b) => a.index - b.index);
for (const t of table) {
  const counts =
    t.kind === 'step'
      ? t.exit === 0
        ? 'ok'
        : 'FAILED'
      : `${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`;
  say(
    `${t.lane.padEnd(22)} ${String(t.seconds).padStart(5)} s  exit ${String(t.exit).padEnd(4)} ${counts}${t.note ? `  (${t.note})` : ''}`,
  );
}
if (allFailures.length) {
  say('');
  say(`---- failures (${allFailures.length}) ----`);
  for (const f of allFailures) say(f);
}
say('');
writeFileSync(
  join(out, 'summary.json'),
  JSON.stringify({ passed, failed, skipped, lanes: table, failures: allFailures }, null, 2),
);
say(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(failed === 0 ? 0 : 1);
