// The browser view of a demo run, shared by the web page (live, from DemoEvents) and the HTML
// report (from finished DemoResults). DOM and Chart.js only: nothing here imports from Node.
import type { DemoEvent, DemoResults, Experiment } from '../experiments/types.js';
import { element } from './dom.js';
import { KsvdPanel } from './ksvd-panel.js';
import { LassoPanel } from './lasso-panel.js';
import { MnistPanel } from './mnist-panel.js';
import { installStyles } from './styles.js';
import { runDescription } from './summary.js';

export { methodColour } from './palette.js';
export { headlineText, ksvdText, lassoText, runDescription, SUMMARY_COLUMNS, summaryRow } from './summary.js';

/** At most this often (ms) a live view redraws its charts: events may come every few ms. */
export const LIVE_REDRAW_INTERVAL_MS = 250;

/** How a view behaves: `live` redraws at most every {@link LIVE_REDRAW_INTERVAL_MS} instead of at every event. */
export interface DemoViewOptions {
  live?: boolean;
}

/**
 * Charts, heatmaps, images and the comparison table of a demo run, built inside `root`.
 * Live: {@link DemoView.handle} each event as it arrives. Finished: {@link DemoView.show}.
 *
 * Stable `data-testid`s: `chart-loss`, `chart-accuracy`, `chart-sparsity`, `chart-scatter`,
 * `heatmap-<method>-<layer>`, `final-table` (cells `acc-<method>`, `sparsity-<method>` in %),
 * `headline`, `chart-ksvd-error`, `atoms`, `image-clean`, `image-noisy`, `image-denoised`,
 * `ksvd-summary`, `chart-lasso`, `lasso-summary`, `status`, `meta`.
 */
export class DemoView {
  private readonly live: boolean;
  private readonly container: HTMLElement;
  private readonly meta = element('p', { className: 'sk-status', testid: 'meta' });
  private readonly status = element('p', { className: 'sk-status', testid: 'status' });
  /** One slot per experiment, in the order they are shown (MNIST, the headline, first). */
  private readonly slots: Record<Experiment, HTMLElement> = {
    mnist: element('div'),
    ksvd: element('div'),
    lasso: element('div'),
  };
  private mnist: MnistPanel | null = null;
  private ksvd: KsvdPanel | null = null;
  private lasso: LassoPanel | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRedraw = 0;

  constructor(root: HTMLElement, options: DemoViewOptions = {}) {
    this.live = options.live ?? false;
    installStyles(root.ownerDocument);
    this.container = element('div', { className: 'sk-demo' }, [
      this.meta,
      this.status,
      this.slots.mnist,
      this.slots.ksvd,
      this.slots.lasso,
    ]);
    root.append(this.container);
  }

  /** Applies one event of a running demo: curves, heatmaps, the table and the status line. */
  handle(event: DemoEvent): void {
    switch (event.type) {
      case 'experiment-start':
        this.status.textContent = `Running ${event.experiment}…`;
        if (event.experiment === 'mnist') this.mnistPanel();
        if (event.experiment === 'ksvd') this.ksvdPanel();
        break;
      case 'experiment-end':
        this.status.textContent = `Finished ${event.experiment}.`;
        break;
      case 'method-start':
        this.status.textContent = `Training ${event.label}…`;
        this.mnistPanel().startMethod(event.method, event.label);
        break;
      case 'batch':
        this.mnistPanel().batch(event.method, event.epoch, event.batch, event.batches, event.loss);
        break;
      case 'epoch':
        this.mnistPanel().epoch(event.method, event.record, event.weights);
        break;
      case 'method-end':
        this.mnistPanel().finish(event.result);
        break;
      case 'ksvd-iteration':
        this.status.textContent = `K-SVD iteration ${event.iteration} of ${event.iterations}`;
        this.ksvdPanel().iteration(event.iteration, event.error);
        break;
      case 'lasso-step':
        this.status.textContent = `Lasso: step ${event.step} of ${event.steps}`;
        break;
      case 'log':
        this.status.textContent = event.message;
        break;
    }
    this.scheduleRedraw();
  }

  /** Shows a finished (or interrupted) run, replacing whatever was shown. */
  show(results: DemoResults): void {
    this.clear();
    const { meta } = results;
    this.meta.textContent = runDescription(results);
    this.status.textContent = meta.interrupted ? 'Interrupted: showing what finished before the stop.' : '';
    this.status.classList.toggle('sk-banner', meta.interrupted);
    if (results.mnist) this.mnistPanel().show(results.mnist);
    if (results.ksvd) this.ksvdPanel().show(results.ksvd);
    if (results.lasso) this.lassoPanel().show(results.lasso);
  }

  /** Removes everything the view built from the page and releases its charts. */
  dispose(): void {
    this.clear();
    this.container.remove();
  }

  private clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.mnist?.dispose();
    this.ksvd?.dispose();
    this.lasso?.dispose();
    this.mnist = this.ksvd = this.lasso = null;
  }

  /** Redraws the charts: at once for a report; live, at most every {@link LIVE_REDRAW_INTERVAL_MS}. */
  private scheduleRedraw(): void {
    if (!this.live) {
      this.redraw();
      return;
    }
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastRedraw + LIVE_REDRAW_INTERVAL_MS - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastRedraw = performance.now();
      this.redraw();
    }, wait);
  }

  private redraw(): void {
    this.mnist?.redraw();
    this.ksvd?.redraw();
  }

  private mnistPanel(): MnistPanel {
    this.mnist ??= new MnistPanel(this.slots.mnist);
    return this.mnist;
  }

  private ksvdPanel(): KsvdPanel {
    this.ksvd ??= new KsvdPanel(this.slots.ksvd);
    return this.ksvd;
  }

  private lassoPanel(): LassoPanel {
    this.lasso ??= new LassoPanel(this.slots.lasso);
    return this.lasso;
  }
}
