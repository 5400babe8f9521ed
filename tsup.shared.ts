// The build every published package shares: ESM + CJS + .d.ts from TypeScript sources, for
// Node 20 and current browsers. A package's tsup.config.ts is one call to `packageConfig`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

export interface PackageConfigOptions {
  /** Entry points; a record names the output files. Default: `src/index.ts`. */
  entries?: string[] | Record<string, string>;
  /** Imports left to the installed package (tsup already leaves every `dependencies` entry). */
  external?: string[];
  /** Any other tsup option, for the few packages that need one (e.g. `keepNames`). */
  overrides?: Options;
}

export function packageConfig({
  entries = ['src/index.ts'],
  external = [],
  overrides = {},
}: PackageConfigOptions = {}) {
  const multiple = !Array.isArray(entries) || entries.length > 1;
  return defineConfig({
    entry: entries,
    format: ['esm', 'cjs'],
    dts: true,
    // Code shared between entries is split into chunks (CJS too), so a class exists once per
    // format and `instanceof` holds across subpaths.
    ...(multiple ? { splitting: true } : {}),
    clean: true,
    sourcemap: true,
    target: 'es2022',
    external,
    ...overrides,
  });
}

/**
 * The build entries of a package with subpath exports, read from its package.json `exports`
 * map (the one list a new subpath is added to): `./name` builds `src/name.ts`, or
 * `src/name/index.ts` where that folder exists; `.` builds `src/index.ts`.
 */
export function exportedEntries(configUrl: string): Record<string, string> {
  const dir = dirname(fileURLToPath(configUrl));
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const entries: Record<string, string> = {};
  for (const subpath of Object.keys(pkg.exports)) {
    if (subpath === './package.json') continue;
    const name = subpath === '.' ? 'index' : subpath.slice(2);
    entries[name] = existsSync(join(dir, 'src', name, 'index.ts')) ? `src/${name}/index.ts` : `src/${name}.ts`;
  }
  return entries;
}
