// Runs a package README's code blocks as a user would: each ```ts / ```js block is transpiled
// with TypeScript, written next to the package (so `@sparsekit/<name>` resolves through the
// package's own `exports` map to its built `dist/`), and run by Node in a child process.
// A line `console.log(…); // → text` promises what that call prints; the printed lines are
// checked in order. A block preceded by `<!-- readme-test: skip (reason) -->` is shown only.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The runnable blocks of a README: `{ index, line, lang, code, skip }`. */
export function readmeBlocks(readmePath) {
  const text = readFileSync(readmePath, 'utf8');
  const blocks = [];
  const fence = /(<!--\s*readme-test:\s*skip[^>]*-->\s*\n)?```(ts|js|mjs|typescript|javascript)\n([\s\S]*?)```/g;
  let m;
  while ((m = fence.exec(text)) !== null) {
    const line = text.slice(0, m.index).split('\n').length;
    blocks.push({ index: blocks.length, line, lang: m[2], code: m[3], skip: Boolean(m[1]) });
  }
  return blocks;
}

/** The outputs promised by `// → …` comments, one entry per `console.log(` line (undefined = not promised). */
export function promisedOutputs(code) {
  return code
    .split('\n')
    .filter((l) => /^\s*console\.log\(/.test(l))
    .map((l) => /\/\/ → (.*)$/.exec(l)?.[1]);
}

/** Transpiles and runs one block inside `packageDir`; returns `{ status, stdout, stderr }`. */
export function runBlock(packageDir, block, { timeoutMs = 120_000, env = {} } = {}) {
  const ts = require('typescript');
  const js = ts.transpileModule(block.code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const dir = join(resolve(packageDir), '.readme-run');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `block-${block.index}.mjs`);
  writeFileSync(file, js);
  try {
    const r = spawnSync(process.execPath, [file], {
      cwd: packageDir,
      encoding: 'utf8',
      timeout: timeoutMs,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Registers one vitest case per runnable block of `readmeUrl` (a `URL` or path to the README;
 * the package directory is its folder).
 */
export function describeReadme(readmeUrl, { describe, it, expect }, options = {}) {
  const readmePath = readmeUrl instanceof URL ? fileURLToPath(readmeUrl) : readmeUrl;
  const packageDir = dirname(readmePath);
  const blocks = readmeBlocks(readmePath);
  describe(`README examples (${blocks.length} blocks)`, () => {
    it('has at least one runnable example', () => {
      expect(blocks.filter((b) => !b.skip).length).toBeGreaterThan(0);
    });
    for (const block of blocks) {
      const run = block.skip ? it.skip : it;
      run(
        `block ${block.index + 1} (README line ${block.line}) runs as written`,
        () => {
          const r = runBlock(packageDir, block, options);
          expect(r.status, `exit status; stderr:\n${r.stderr}`).toBe(0);
          const printed = r.stdout.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '');
          const promised = promisedOutputs(block.code);
          promised.forEach((want, i) => {
            if (want !== undefined) expect(printed[i], `console.log #${i + 1}`).toBe(want);
          });
        },
        options.timeoutMs ?? 120_000,
      );
    }
  });
}
