import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs tool without type declarations
import { readmeBlocks } from '../../../tools/readme-examples.mjs';

// The README's example is this package's conformance test file itself, so the code it shows
// is the code CI runs: the block must be the file, verbatim.
describe('README', () => {
  it('shows test/conformance.test.ts verbatim', () => {
    const blocks = readmeBlocks(fileURLToPath(new URL('../README.md', import.meta.url))) as Array<{ code: string }>;
    const file = readFileSync(new URL('./conformance.test.ts', import.meta.url), 'utf8');
    expect(blocks.map((b) => b.code)).toContain(file);
  });
});
