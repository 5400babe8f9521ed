// The comparison table as an HTML <table>: one row per finished method, in method order, with
// `acc-<method>` and `sparsity-<method>` cells holding plain percentages for tests and scrapers.
import type { MethodResult } from '../experiments/types.js';
import { element, insertInMethodOrder } from './dom.js';
import { methodColour } from './palette.js';
import { ACCURACY_COLUMN, SPARSITY_COLUMN, SUMMARY_COLUMNS, summaryRow } from './summary.js';

/** The final comparison table; `element` is the <table> to insert. */
export class FinalTable {
  readonly element: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;
  private readonly rows = new Map<string, HTMLTableRowElement>();

  constructor() {
    const head = element('thead', {}, [
      element(
        'tr',
        {},
        SUMMARY_COLUMNS.map((c) => element('th', { text: c })),
      ),
    ]);
    this.body = element('tbody');
    this.element = element('table', { className: 'sk-table', testid: 'final-table' }, [head, this.body]);
  }

  /** Adds the row of a finished method, or replaces it if the method already has one. */
  setRow(result: MethodResult): void {
    const cells = summaryRow(result).map((text, column) => {
      const testid =
        column === ACCURACY_COLUMN
          ? `acc-${result.method}`
          : column === SPARSITY_COLUMN
            ? `sparsity-${result.method}`
            : undefined;
      return element('td', { text, ...(testid ? { testid } : {}) });
    });
    const swatch = element('span', { className: 'sk-swatch' });
    swatch.style.background = methodColour(result.method);
    cells[0].prepend(swatch);
    const row = element('tr', {}, cells);
    const old = this.rows.get(result.method);
    if (old) {
      row.dataset.method = result.method;
      old.replaceWith(row);
    } else insertInMethodOrder(this.body, row, result.method);
    this.rows.set(result.method, row);
  }
}
