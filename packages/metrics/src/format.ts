import { describeValue, ValueError } from '@sparsekit/core';

import type { SparsityReport, SparsityStats } from './report.js';

type Align = 'left' | 'right';

interface Column {
  title: string;
  align: Align;
  cell: (s: SparsityStats) => string;
}

const NONE = '-';

const COLUMNS: Column[] = [
  { title: 'params', align: 'right', cell: (s) => count(s.parameters) },
  { title: 'non-zeros', align: 'right', cell: (s) => count(s.nonZeros) },
  { title: 'sparsity', align: 'right', cell: (s) => percent(s.sparsity) },
  { title: 'hoyer', align: 'right', cell: (s) => s.hoyer.toFixed(3) },
  { title: 'gini', align: 'right', cell: (s) => s.gini.toFixed(3) },
  {
    title: 'dead out/in',
    align: 'right',
    cell: (s) => (s.deadNeurons ? `${count(s.deadNeurons.outputs)} / ${count(s.deadNeurons.inputs)}` : NONE),
  },
  {
    title: 'zero rows/cols',
    align: 'right',
    cell: (s) =>
      s.structuredSparsity ? `${percent(s.structuredSparsity.rows)} / ${percent(s.structuredSparsity.cols)}` : NONE,
  },
  { title: 'dense', align: 'right', cell: (s) => bytes(s.bytes.dense) },
  { title: 'CSR', align: 'right', cell: (s) => bytes(s.bytes.csr) },
  { title: 'compacted', align: 'right', cell: (s) => bytes(s.bytes.compacted) },
  { title: 'MACs dense', align: 'right', cell: (s) => count(s.multiplyAdds.dense) },
  { title: 'MACs sparse', align: 'right', cell: (s) => count(s.multiplyAdds.sparse) },
];

/**
 * Renders a {@link SparsityReport} as an aligned plain-text table — one row per
 * parameter, then the total — as a command-line tool prints it. Counts use thousands
 * separators, bytes binary units (KiB, MiB), `-` marks what does not apply (vectors have
 * no rows or columns). Columns are separated by two spaces; no trailing spaces.
 */
export function formatReport(report: SparsityReport): string {
  if (
    typeof report !== 'object' ||
    report === null ||
    !Array.isArray(report.layers) ||
    typeof report.total !== 'object'
  ) {
    throw new ValueError('formatReport', `report must be the result of sparsityReport(), got ${describeValue(report)}`);
  }
  const header = ['parameter', 'shape', ...COLUMNS.map((c) => c.title)];
  const aligns: Align[] = ['left', 'left', ...COLUMNS.map((c) => c.align)];
  const row = (name: string, shape: string, s: SparsityStats): string[] => [
    name,
    shape,
    ...COLUMNS.map((c) => c.cell(s)),
  ];
  const body = report.layers.map((l) => row(l.name, `[${l.shape.join(', ')}]`, l));
  const total = row(`total (${report.layers.length} parameters)`, '', report.total);
  const widths = header.map((h, i) => Math.max(h.length, total[i].length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (aligns[i] === 'left' ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const tolNote = report.tol > 0 ? [`(|x| <= ${report.tol} counted as zero)`] : [];
  return [line(header), rule, ...body.map(line), rule, line(total), ...tolNote].join('\n');
}

/** 1234567 → "1,234,567", independent of the locale. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}
