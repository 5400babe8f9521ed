// Chart.js charts on 2-D canvases (never WebGPU canvases, which headless browsers leave
// blank): line or scatter charts of named series of points. Only the
// controllers, elements and plugins used here are registered, so the bundle stays small.
import {
  Chart,
  type ChartDataset,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
} from 'chart.js';

let registered = false;

/** Registers the Chart.js pieces the view draws with (once per page). */
function registerChartParts(): void {
  if (registered) return;
  Chart.register(
    Decimation,
    Legend,
    LinearScale,
    LineController,
    LogarithmicScale,
    LineElement,
    PointElement,
    ScatterController,
    Title,
    Tooltip,
  );
  registered = true;
}

/** A point of a series chart. */
export interface Point {
  x: number;
  y: number;
}

/** What a series chart shows: its kind, title and axis labels, and the y range when fixed. */
export interface SeriesChartOptions {
  kind: 'line' | 'scatter';
  title: string;
  xLabel: string;
  yLabel: string;
  xMin?: number;
  xMax?: number;
  /** Whole-number x ticks only (iterations). */
  xIntegers?: boolean;
  /** A logarithmic y axis (for losses that span orders of magnitude); linear by default. */
  yLog?: boolean;
  yMin?: number;
  yMax?: number;
  /** Radius of the drawn points (0: a bare line, for long curves). */
  pointRadius: number;
}

type SeriesDataset = ChartDataset<'line' | 'scatter', Point[]>;

/** How one series' points are drawn, where it differs from the chart's default. */
export interface SeriesStyle {
  radius?: number;
  hollow?: boolean;
}

/**
 * A chart of named series of (x, y) points, each with its own label and colour. Series keep
 * the order they were first added in; setting a series again replaces its points.
 */
export class SeriesChart {
  readonly chart: Chart<'line' | 'scatter', Point[]>;
  private readonly series = new Map<string, SeriesDataset>();
  /** Whether the data changed since the last draw. */
  private dirty = false;
  private readonly showLine: boolean;

  constructor(canvas: HTMLCanvasElement, options: SeriesChartOptions) {
    registerChartParts();
    this.showLine = options.kind === 'line';
    this.chart = new Chart<'line' | 'scatter', Point[]>(canvas, {
      type: options.kind,
      data: { datasets: [] },
      options: {
        // No animation, live either: a live view redraws every few hundred ms, and tweening
        // thousands of points between redraws would keep the page busy drawing.
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        parsing: false,
        normalized: true,
        plugins: {
          title: { display: true, text: options.title },
          legend: { display: true, position: 'bottom', labels: { boxWidth: 12 } },
          // Long live loss curves (thousands of batches per method) are drawn through min-max
          // decimation: at most a few points per pixel column, peaks kept.
          decimation: { enabled: options.kind === 'line', algorithm: 'min-max' },
        },
        elements: {
          point: { radius: options.pointRadius, hoverRadius: options.pointRadius + 3 },
          line: { borderWidth: 2 },
        },
        scales: {
          x: {
            type: 'linear',
            title: { display: true, text: options.xLabel },
            ...(options.xMin === undefined ? {} : { min: options.xMin }),
            ...(options.xMax === undefined ? {} : { max: options.xMax }),
            ...(options.xIntegers ? { ticks: { precision: 0 } } : {}),
          },
          y: {
            type: options.yLog ? 'logarithmic' : 'linear',
            title: { display: true, text: options.yLabel },
            ...(options.yMin === undefined ? {} : { min: options.yMin }),
            ...(options.yMax === undefined ? {} : { max: options.yMax }),
          },
        },
      },
    });
  }

  /**
   * Sets a series' points (replacing any it had), creating it with `label` and `colour`;
   * `style` overrides the chart's point radius or draws the points hollow (rings).
   */
  setSeries(key: string, label: string, colour: string, points: Point[], style: SeriesStyle = {}): void {
    const dataset = this.dataset(key, label, colour);
    dataset.data = points;
    this.dirty = true;
    if (style.radius !== undefined) dataset.pointRadius = style.radius;
    if (style.hollow) {
      dataset.backgroundColor = 'rgba(0, 0, 0, 0)';
      dataset.pointBorderWidth = 2;
    }
  }

  /** Appends one point to a series, creating it with `label` and `colour`. */
  addPoint(key: string, label: string, colour: string, point: Point): void {
    this.dataset(key, label, colour).data.push(point);
    this.dirty = true;
  }

  /** Fixes the x axis to [min, max] (e.g. once the number of features is known). */
  setXRange(min: number, max: number): void {
    const x = this.chart.options.scales?.x;
    if (x) Object.assign(x, { min, max });
  }

  /** Redraws if the data changed since the last draw. */
  update(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.chart.update();
  }

  destroy(): void {
    this.chart.destroy();
  }

  private dataset(key: string, label: string, colour: string): SeriesDataset {
    let dataset = this.series.get(key);
    if (!dataset) {
      dataset = { label, data: [], borderColor: colour, backgroundColor: colour, showLine: this.showLine };
      this.series.set(key, dataset);
      this.chart.data.datasets.push(dataset);
    } else {
      dataset.label = label;
    }
    return dataset;
  }
}
