import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs tool without type declarations
import { describeReadme, readmeBlocks, runBlock } from '../../../tools/readme-examples.mjs';

// Every ```js block of the README runs as written against the built dist/ (`pnpm build` first),
// and every `// →` comment is the line it prints.
const readme = new URL('../README.md', import.meta.url);
describeReadme(readme, { describe, it, expect });

// The example's formatReport call prints the README's table, line for line.
describe('README table', () => {
  it('is what formatReport prints in the example', () => {
    const path = fileURLToPath(readme);
    const table = /```\n(parameter[\s\S]*?)\n```/.exec(readFileSync(path, 'utf8'))?.[1];
    expect(table).toBeDefined();
    const block = (readmeBlocks(path) as Array<{ code: string }>).find((b) => b.code.includes('formatReport('));
    const r = runBlock(fileURLToPath(new URL('..', import.meta.url)), block) as {
      status: number;
      stdout: string;
      stderr: string;
    };
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${table}\n`);
  });
});
