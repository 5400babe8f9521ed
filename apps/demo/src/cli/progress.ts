// Progress while the demo runs: cli-progress bars on a terminal (one per experiment, one per
// MNIST method), plain lines elsewhere (CI logs, pipes), nothing with --quiet.
import cliProgress from 'cli-progress';
import { METHOD_LABELS } from '../experiments/methods.js';
import type { DemoEvent, EpochRecord } from '../experiments/types.js';
import { fixed, percent } from '../view/format.js';

/** Where progress goes: events of the run, free-form messages, and the end. */
export interface Progress {
  handle(event: DemoEvent): void;
  /** A message that must not be lost among the bars (a stop request, a warning). */
  log(message: string): void;
  /** Stops drawing (bars stay on screen as they ended). */
  stop(): void;
}

/** Something to write progress to: stdout, or a test's buffer. */
export interface TextSink {
  write(text: string): unknown;
}

/** Width of the method-label column: the longest label. */
const LABEL_WIDTH = Math.max(...Object.values(METHOD_LABELS).map((label) => label.length));

/** One epoch's figures as a line: loss, test accuracy, exact zeros, Hoyer and the epoch's seconds. */
export function epochLine(label: string, record: EpochRecord, epochs: number): string {
  return (
    `  ${label.padEnd(LABEL_WIDTH)} epoch ${String(record.epoch).padStart(2)}/${epochs}` +
    `  loss ${fixed(record.trainLoss, 4)}  acc ${percent(record.testAccuracy)}%` +
    `  zeros ${percent(record.sparsity, 1).padStart(5)}%  Hoyer ${fixed(record.hoyer, 2)}  (${fixed(record.seconds, 1)} s)`
  );
}

/** Plain lines: one per experiment start and end, per method start and end, per epoch and K-SVD iteration. */
export class LineProgress implements Progress {
  private readonly labels = new Map<string, string>();

  /** `epochs`: the MNIST epochs per method (the run's configuration), shown as `epoch 3/10`. */
  constructor(
    private readonly out: TextSink,
    private readonly epochs: number,
  ) {}

  handle(event: DemoEvent): void {
    switch (event.type) {
      case 'experiment-start':
        this.line(`${event.experiment}: started`);
        break;
      case 'experiment-end':
        this.line(`${event.experiment}: done`);
        break;
      case 'method-start':
        this.labels.set(event.method, event.label);
        this.line(`  ${event.label}: ${event.steps} steps`);
        break;
      case 'epoch': {
        const label = this.labels.get(event.method) ?? event.method;
        this.line(epochLine(label, event.record, this.epochs));
        break;
      }
      case 'method-end':
        this.line(
          `  ${event.result.label}: ${percent(event.result.testAccuracy)}% test accuracy, ` +
            `${percent(event.result.sparsity, 1)}% zeros (${fixed(event.result.seconds, 1)} s)`,
        );
        break;
      case 'ksvd-iteration':
        this.line(`  K-SVD iteration ${event.iteration}/${event.iterations}: error ${fixed(event.error, 4)}`);
        break;
      case 'log':
        this.line(`  ${event.message}`);
        break;
      case 'batch':
      case 'lasso-step':
        // Too many for a log: the bars show them on a terminal.
        break;
    }
  }

  log(message: string): void {
    this.line(message);
  }

  stop(): void {}

  private line(text: string): void {
    this.out.write(`${text}\n`);
  }
}

interface BarPayload {
  name: string;
  info: string;
}

/**
 * cli-progress bars: one per experiment (Lasso path steps, MNIST batches of every method,
 * K-SVD iterations) and one per MNIST method (its batches, with its latest figures).
 */
export class BarProgress implements Progress {
  private readonly bars: cliProgress.MultiBar;
  private readonly experiment = new Map<string, cliProgress.SingleBar>();
  private readonly methods = new Map<string, cliProgress.SingleBar>();
  private readonly labels = new Map<string, string>();

  constructor(stream: NodeJS.WriteStream) {
    this.bars = new cliProgress.MultiBar(
      {
        stream,
        format: '{name} |{bar}| {percentage}% {value}/{total} {info}',
        barsize: 28,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        etaBuffer: 50,
        fps: 8,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  handle(event: DemoEvent): void {
    switch (event.type) {
      case 'experiment-start':
        this.experiment.set(
          event.experiment,
          this.bars.create(Math.max(1, event.steps), 0, {
            name: event.experiment.padEnd(LABEL_WIDTH + 2),
            info: '',
          } satisfies BarPayload),
        );
        break;
      case 'experiment-end': {
        const bar = this.experiment.get(event.experiment);
        bar?.update(bar.getTotal(), { info: 'done' });
        break;
      }
      case 'method-start':
        this.labels.set(event.method, event.label);
        this.methods.set(
          event.method,
          this.bars.create(Math.max(1, event.steps), 0, {
            name: `  ${event.label}`.padEnd(LABEL_WIDTH + 2),
            info: '',
          } satisfies BarPayload),
        );
        break;
      case 'batch':
        this.methods.get(event.method)?.increment(1, { info: `loss ${fixed(event.loss, 4)}` });
        this.experiment.get('mnist')?.increment(1);
        break;
      case 'epoch':
        this.methods.get(event.method)?.update({
          info: `epoch ${event.record.epoch}: acc ${percent(event.record.testAccuracy)}% zeros ${percent(event.record.sparsity, 1)}%`,
        });
        break;
      case 'method-end': {
        const bar = this.methods.get(event.result.method);
        bar?.update(bar.getTotal(), {
          info: `acc ${percent(event.result.testAccuracy)}% zeros ${percent(event.result.sparsity, 1)}% (${fixed(event.result.seconds, 1)} s)`,
        });
        break;
      }
      case 'ksvd-iteration':
        this.experiment.get('ksvd')?.update(event.iteration, { info: `error ${fixed(event.error, 4)}` });
        break;
      case 'lasso-step': {
        // The Lasso announces its step count with its first step, not at its start.
        const bar = this.experiment.get('lasso');
        if (bar && bar.getTotal() !== event.steps) bar.setTotal(event.steps);
        bar?.update(event.step);
        break;
      }
      case 'log':
        this.log(event.message);
        break;
    }
  }

  log(message: string): void {
    this.bars.log(`${message}\n`);
  }

  stop(): void {
    // A redraw first: messages logged since the last frame (a stop request) are written then.
    this.bars.update();
    this.bars.stop();
  }
}

/** Progress that shows nothing (--quiet). */
export class QuietProgress implements Progress {
  handle(): void {}
  log(): void {}
  stop(): void {}
}
