// Lasso support recovery: the true and the found non-zero coefficients at their feature
// index (true ones as rings, found ones as dots inside them), and the verdict.
import type { LassoResult } from '../experiments/types.js';
import { type Point, SeriesChart } from './charts.js';
import { chartBox, element, section } from './dom.js';
import { lassoText } from './summary.js';

/** The non-zero entries of a coefficient vector as (index, value) points. */
export function nonZeros(coefficients: readonly number[]): Point[] {
  const points: Point[] = [];
  coefficients.forEach((y, x) => {
    if (y !== 0) points.push({ x, y });
  });
  return points;
}

export class LassoPanel {
  readonly element: HTMLElement;
  private readonly chart: SeriesChart;
  private readonly summary = element('p', { className: 'sk-headline', testid: 'lasso-summary' });

  constructor(parent: HTMLElement) {
    this.element = section('Lasso: exact support recovery', 'lasso');
    const chart = chartBox('chart-lasso');
    this.element.append(this.summary, element('div', { className: 'sk-charts' }, [chart.box]));
    parent.append(this.element);
    this.chart = new SeriesChart(chart.canvas, {
      kind: 'scatter',
      title: 'Non-zero coefficients: true (rings) and found (dots)',
      xLabel: 'feature',
      yLabel: 'coefficient',
      pointRadius: 4,
    });
  }

  /** The finished experiment. */
  show(lasso: LassoResult): void {
    this.summary.textContent = lassoText(lasso);
    this.chart.setXRange(0, lasso.features - 1);
    this.chart.setSeries('true', 'true', '#4a5561', nonZeros(lasso.trueCoefficients), { radius: 8, hollow: true });
    this.chart.setSeries('found', 'found', '#e15759', nonZeros(lasso.coefficients));
    this.chart.update();
  }

  dispose(): void {
    this.chart.destroy();
    this.element.remove();
  }
}
