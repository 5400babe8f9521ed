// Lasso support recovery: the true and the found coefficients side by side, and the verdict.
import type { LassoResult } from '../experiments/types.js';
import { BarChart } from './charts.js';
import { chartBox, element, section } from './dom.js';
import { lassoText } from './summary.js';

export class LassoPanel {
  readonly element: HTMLElement;
  private readonly chart: BarChart;
  private readonly summary = element('p', { className: 'sk-headline', testid: 'lasso-summary' });

  constructor(parent: HTMLElement) {
    this.element = section('Lasso: exact support recovery', 'lasso');
    const chart = chartBox('chart-lasso');
    this.element.append(this.summary, element('div', { className: 'sk-charts' }, [chart.box]));
    parent.append(this.element);
    this.chart = new BarChart(chart.canvas, 'Coefficients: true and found', 'feature', 'coefficient');
  }

  /** The finished experiment. */
  show(lasso: LassoResult): void {
    this.summary.textContent = lassoText(lasso);
    this.chart.set(
      lasso.trueCoefficients.map((_, i) => String(i)),
      [
        { label: 'true', colour: '#bab0ac', values: lasso.trueCoefficients },
        { label: 'found', colour: '#e15759', values: lasso.coefficients },
      ],
    );
  }

  dispose(): void {
    this.chart.destroy();
    this.element.remove();
  }
}
