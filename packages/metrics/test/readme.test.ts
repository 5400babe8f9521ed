import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as metrics from '../src/index.js';

// The README's example runs as written (against the sources): every `console.log(…); // → x`
// prints x, and the formatReport call prints the README's table.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const table = /```\n(parameter[\s\S]*?)\n```/.exec(readme)?.[1] ?? '';

describe('README example', () => {
  it('runs and prints what its comments and its table say', async () => {
    expect(example).toContain("from '@sparsekit/metrics'");
    const logged: string[] = [];
    const console = { log: (...args: unknown[]) => logged.push(args.map(String).join(' ')) };
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>;
    const names = Object.keys(metrics);
    const body = example.replace(/^import .*$/m, '');
    await new AsyncFunction(...names, 'console', body)(...names.map((n) => (metrics as Record<string, unknown>)[n]), console);

    const calls = example.split('\n').filter((line) => line.startsWith('console.log('));
    expect(logged).toHaveLength(calls.length);
    calls.forEach((line, i) => {
      const promised = /\/\/ → (.*)$/.exec(line)?.[1];
      if (promised !== undefined) expect(logged[i], line).toBe(promised);
      if (line.includes('formatReport')) expect(logged[i]).toBe(table);
    });
  });
});
