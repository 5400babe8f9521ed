// The final comparison printed with cli-table3: the same columns and findings as the report.
import Table from 'cli-table3';
import type { DemoResults } from '../experiments/types.js';
import { headlineText, ksvdText, lassoText, SUMMARY_COLUMNS, summaryRow } from '../view/summary.js';

/** The comparison table of the MNIST methods that finished, or null when none did. */
export function comparisonTable(results: DemoResults): string | null {
  const methods = results.mnist?.methods ?? [];
  if (methods.length === 0) return null;
  const table = new Table({
    head: [...SUMMARY_COLUMNS],
    colAligns: SUMMARY_COLUMNS.map((_, i) => (i === 0 ? 'left' : 'right')),
    // No rule between rows, no colours: it fits a 120-column terminal and a CI log.
    style: { head: [], border: [], compact: true },
  });
  for (const result of methods) table.push(summaryRow(result));
  return table.toString();
}

/** Everything printed after the run: the table, the headline, the K-SVD and the Lasso lines. */
export function finalSummary(results: DemoResults): string {
  const parts: string[] = [];
  const table = comparisonTable(results);
  if (table) parts.push(table);
  if (results.mnist) parts.push(headlineText(results.mnist));
  if (results.ksvd) parts.push(ksvdText(results.ksvd));
  if (results.lasso) parts.push(lassoText(results.lasso));
  return parts.join('\n');
}
