import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENTRIES } from '../tsup.config.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// The build entries are read from package.json's `exports` (tsup.config.ts), so a subpath added
// there is built; these check that each one is complete.
describe('package exports', () => {
  it('has one subpath per build entry, each with ESM, CJS and types', () => {
    const expected = Object.fromEntries(
      ENTRIES.map((e) => [
        e === 'index' ? '.' : `./${e}`,
        {
          import: { types: `./dist/${e}.d.ts`, default: `./dist/${e}.js` },
          require: { types: `./dist/${e}.d.cts`, default: `./dist/${e}.cjs` },
        },
      ]),
    );
    expect(pkg.exports).toEqual({ ...expected, './package.json': './package.json' });
  });

  it('maps every subpath for node10 type resolution (typesVersions)', () => {
    const subpaths = ENTRIES.filter((e) => e !== 'index');
    expect(pkg.typesVersions).toEqual({ '*': Object.fromEntries(subpaths.map((e) => [e, [`./dist/${e}.d.cts`]])) });
  });

  it('every entry has its source file', () => {
    for (const e of ENTRIES)
      expect(existsSync(join(root, 'src', e === 'testing' ? 'testing/index.ts' : `${e}.ts`))).toBe(true);
  });
});

// A user of the pure core and the optimizers installs no autograd: only the conformance kit
// (`/testing`) makes autograd Parameters, so autograd is an optional peer there.
describe('@sparsekit/autograd is needed by the conformance kit only', () => {
  it('is a devDependency and an optional peerDependency, not a dependency', () => {
    expect(pkg.dependencies['@sparsekit/autograd']).toBeUndefined();
    expect(pkg.devDependencies['@sparsekit/autograd']).toBe('workspace:^');
    expect(pkg.peerDependencies['@sparsekit/autograd']).toBe('>=0.0.0 <1.0.0');
    expect(pkg.peerDependenciesMeta['@sparsekit/autograd']).toEqual({ optional: true });
  });

  it('is imported by no source file outside src/testing/', () => {
    const importers = readdirSync(join(root, 'src'))
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /from '@sparsekit\/autograd'/.test(readFileSync(join(root, 'src', f), 'utf8')));
    expect(importers).toEqual([]);
    expect(readFileSync(join(root, 'src/testing/harness.ts'), 'utf8')).toMatch(/from '@sparsekit\/autograd'/);
  });
});
