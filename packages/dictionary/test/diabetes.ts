import { readFileSync } from 'node:fs';

/** The vendored diabetes table (test/fixtures/diabetes.csv): X 442×10 and the target y. */
export function loadDiabetes(): { X: number[][]; y: number[] } {
  const lines = readFileSync(new URL('./fixtures/diabetes.csv', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .slice(1);
  const rows = lines.map((l) => l.split(',').map(Number));
  return { X: rows.map((r) => r.slice(0, 10)), y: rows.map((r) => r[10]!) };
}
