// The MNIST comparison: loss, accuracy and sparsity over epochs per method, accuracy against
// sparsity, the weight heatmaps, the comparison table and the headline. Fed live (one event
// at a time) or from finished results; a finished method's result replaces its live curves.
import type { EpochRecord, MethodResult, MnistMethod, MnistResult, WeightSnapshot } from '../experiments/types.js';
import { type Point, SeriesChart } from './charts.js';
import { canvasFigure, chartBox, element, insertInMethodOrder, section } from './dom.js';
import { percent } from './format.js';
import { drawWeights } from './heatmap.js';
import { methodColour } from './palette.js';
import { headlineText } from './summary.js';
import { FinalTable } from './table.js';

/**
 * x position (in epochs) of a batch event, whose epoch and batch are 0-based (as `fit` numbers
 * them), on the axis where an EpochRecord's 1-based `epoch` marks the end of that epoch.
 */
export function batchPosition(epoch: number, batch: number, batches: number): number {
  return epoch + (batch + 1) / batches;
}

/** A loss curve sampled evenly over `epochs` epochs, as chart points. */
export function lossCurvePoints(curve: readonly number[], epochs: number): Point[] {
  return curve.map((loss, i) => ({ x: ((i + 1) * epochs) / curve.length, y: loss }));
}

export class MnistPanel {
  readonly element: HTMLElement;
  private readonly loss: SeriesChart;
  private readonly accuracy: SeriesChart;
  private readonly sparsity: SeriesChart;
  private readonly scatter: SeriesChart;
  private readonly table = new FinalTable();
  private readonly headline = element('p', { className: 'sk-headline', testid: 'headline' });
  private readonly heatmaps = element('div', { className: 'sk-heatmap' });
  private readonly heatmapGroups = new Map<MnistMethod, { title: HTMLElement; figures: HTMLElement }>();
  private readonly heatmapFigures = new Map<string, ReturnType<typeof canvasFigure>>();
  private readonly labels = new Map<MnistMethod, string>();

  /** Builds the panel into `parent` (charts need their canvas in the document to size themselves). */
  constructor(parent: HTMLElement) {
    this.element = section('MNIST 784-128-10: accuracy and exact sparsity per optimizer', 'mnist');
    const boxes = ['chart-loss', 'chart-accuracy', 'chart-sparsity', 'chart-scatter'].map(chartBox);
    this.element.append(
      element(
        'div',
        { className: 'sk-charts' },
        boxes.map((b) => b.box),
      ),
      this.headline,
      this.table.element,
      element('h3', { text: 'Weights (black: exactly zero; blue negative, red positive)' }),
      this.heatmaps,
    );
    parent.append(this.element);
    const [loss, accuracy, sparsity, scatter] = boxes.map((b) => b.canvas);
    // Epoch axes start at 0 (a 1-epoch run still shows where its point lies); the loss curve
    // has many points and is drawn bare, the per-epoch curves with their points marked. Loss
    // is on a log axis: penalised losses (L0 gates) start an order of magnitude above the rest.
    this.loss = new SeriesChart(loss, {
      kind: 'line',
      title: 'Train loss',
      xLabel: 'epoch',
      yLabel: 'batch loss (log scale)',
      xMin: 0,
      yLog: true,
      pointRadius: 0,
    });
    this.accuracy = new SeriesChart(accuracy, {
      kind: 'line',
      title: 'Test accuracy',
      xLabel: 'epoch',
      yLabel: '%',
      xMin: 0,
      pointRadius: 3,
    });
    this.sparsity = new SeriesChart(sparsity, {
      kind: 'line',
      title: 'Exact zeros among the weights',
      xLabel: 'epoch',
      yLabel: '%',
      xMin: 0,
      yMin: 0,
      yMax: 100,
      pointRadius: 3,
    });
    this.scatter = new SeriesChart(scatter, {
      kind: 'scatter',
      title: 'Accuracy against sparsity',
      xLabel: 'exact zeros %',
      yLabel: 'test accuracy %',
      pointRadius: 6,
    });
  }

  /** A method started: its series appear (empty) in the legend. */
  startMethod(method: MnistMethod, label: string): void {
    this.labels.set(method, label);
    for (const chart of [this.loss, this.accuracy, this.sparsity])
      chart.setSeries(method, label, methodColour(method), []);
  }

  /** One training batch's loss, placed at its fractional epoch. */
  batch(method: MnistMethod, epoch: number, batch: number, batches: number, loss: number): void {
    this.loss.addPoint(method, this.label(method), methodColour(method), {
      x: batchPosition(epoch, batch, batches),
      y: loss,
    });
  }

  /** One finished epoch: accuracy, sparsity and the current point in the scatter; the heatmaps redrawn. */
  epoch(method: MnistMethod, record: EpochRecord, weights: WeightSnapshot[]): void {
    const label = this.label(method);
    const colour = methodColour(method);
    this.accuracy.addPoint(method, label, colour, { x: record.epoch, y: record.testAccuracy * 100 });
    this.sparsity.addPoint(method, label, colour, { x: record.epoch, y: record.sparsity * 100 });
    this.scatter.setSeries(method, label, colour, [{ x: record.sparsity * 100, y: record.testAccuracy * 100 }]);
    this.drawHeatmaps(method, label, weights);
  }

  /** A finished method: its curves from the result, its table row, scatter point and heatmaps. */
  finish(result: MethodResult): void {
    const { method, label } = result;
    this.labels.set(method, label);
    const colour = methodColour(method);
    const epochs = result.epochs.length;
    const loss =
      result.lossCurve.length > 0
        ? lossCurvePoints(result.lossCurve, epochs)
        : result.epochs.map((r) => ({ x: r.epoch, y: r.trainLoss }));
    // A curve of one point (a short run) is drawn as a marker: a bare line of one point is invisible.
    this.loss.setSeries(method, label, colour, loss, loss.length < 2 ? { radius: 3 } : {});
    this.accuracy.setSeries(
      method,
      label,
      colour,
      result.epochs.map((r) => ({ x: r.epoch, y: r.testAccuracy * 100 })),
    );
    this.sparsity.setSeries(
      method,
      label,
      colour,
      result.epochs.map((r) => ({ x: r.epoch, y: r.sparsity * 100 })),
    );
    this.scatter.setSeries(method, label, colour, [{ x: result.sparsity * 100, y: result.testAccuracy * 100 }]);
    this.table.setRow(result);
    this.drawHeatmaps(method, label, result.weights);
  }

  /** Everything of a finished (or interrupted) MNIST experiment, headline included. */
  show(mnist: MnistResult): void {
    for (const result of mnist.methods) this.finish(result);
    this.headline.textContent = headlineText(mnist);
    this.redraw();
  }

  /** Redraws every chart with its current data. */
  redraw(): void {
    for (const chart of [this.loss, this.accuracy, this.sparsity, this.scatter]) chart.update();
  }

  dispose(): void {
    for (const chart of [this.loss, this.accuracy, this.sparsity, this.scatter]) chart.destroy();
    this.element.remove();
  }

  private label(method: MnistMethod): string {
    return this.labels.get(method) ?? method;
  }

  /** Draws a method's weight snapshots, one canvas per layer, in the method's group (made on first use). */
  private drawHeatmaps(method: MnistMethod, label: string, weights: WeightSnapshot[]): void {
    let group = this.heatmapGroups.get(method);
    if (!group) {
      group = { title: element('h4'), figures: element('div', { className: 'sk-figures' }) };
      this.heatmapGroups.set(method, group);
      insertInMethodOrder(
        this.heatmaps,
        element('div', { className: 'sk-weights' }, [group.title, group.figures]),
        method,
      );
    }
    group.title.textContent = label;
    for (const snapshot of weights) {
      const testid = `heatmap-${method}-${snapshot.name}`;
      let figure = this.heatmapFigures.get(testid);
      if (!figure) {
        figure = canvasFigure(testid, '');
        this.heatmapFigures.set(testid, figure);
        group.figures.append(figure.figure);
      }
      figure.caption.textContent = `${snapshot.name}: ${snapshot.rows}×${snapshot.cols} shown, ${percent(snapshot.sparsity, 1)}% exactly zero`;
      drawWeights(figure.canvas, snapshot);
    }
  }
}
