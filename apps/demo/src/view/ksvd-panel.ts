// K-SVD on the boats image: the representation error per iteration (live), then the learned
// atoms and the clean, noisy and denoised crops with their PSNR.
import type { KsvdResult } from '../experiments/types.js';
import { SeriesChart } from './charts.js';
import { canvasFigure, chartBox, element, section } from './dom.js';
import { fixed } from './format.js';
import { drawAtoms, drawGray } from './images.js';
import { ksvdText } from './summary.js';

const ERROR_COLOUR = '#4e79a7';

export class KsvdPanel {
  readonly element: HTMLElement;
  private readonly error: SeriesChart;
  private readonly summary = element('p', { className: 'sk-headline', testid: 'ksvd-summary' });
  private readonly atoms = canvasFigure('atoms', 'learned atoms');
  private readonly clean = canvasFigure('image-clean', 'clean');
  private readonly noisy = canvasFigure('image-noisy', 'noisy');
  private readonly denoised = canvasFigure('image-denoised', 'denoised');

  constructor(parent: HTMLElement) {
    this.element = section('Dictionary learning: K-SVD on 8×8 patches of a natural image, and denoising', 'ksvd');
    const chart = chartBox('chart-ksvd-error');
    this.atoms.figure.classList.add('sk-atoms');
    this.element.append(
      this.summary,
      element('div', { className: 'sk-charts' }, [chart.box]),
      element('div', { className: 'sk-figures sk-images' }, [
        this.atoms.figure,
        this.clean.figure,
        this.noisy.figure,
        this.denoised.figure,
      ]),
    );
    parent.append(this.element);
    this.error = new SeriesChart(chart.canvas, {
      kind: 'line',
      title: 'K-SVD representation error',
      xLabel: 'iteration',
      yLabel: 'RMSE',
      xIntegers: true,
      pointRadius: 3,
    });
  }

  /** One K-SVD iteration's representation error (iterations numbered from 1). */
  iteration(iteration: number, error: number): void {
    this.error.addPoint('error', 'representation error', ERROR_COLOUR, { x: iteration, y: error });
  }

  /** The finished experiment: atoms, images, PSNR and the whole error curve. */
  show(ksvd: KsvdResult): void {
    this.error.setSeries(
      'error',
      'representation error',
      ERROR_COLOUR,
      ksvd.errorCurve.map((y, i) => ({ x: i + 1, y })),
    );
    this.error.update();
    this.summary.textContent = ksvdText(ksvd);
    drawAtoms(this.atoms.canvas, ksvd.dictionary, ksvd.atoms, ksvd.patchSize);
    this.atoms.caption.textContent = `${ksvd.atoms} learned atoms`;
    drawGray(this.clean.canvas, ksvd.clean);
    drawGray(this.noisy.canvas, ksvd.noisy);
    this.noisy.caption.textContent = `noisy, σ = ${ksvd.sigma}: ${fixed(ksvd.psnrNoisy, 2)} dB`;
    drawGray(this.denoised.canvas, ksvd.denoised);
    this.denoised.caption.textContent = `denoised: ${fixed(ksvd.psnrDenoised, 2)} dB`;
  }

  redraw(): void {
    this.error.update();
  }

  dispose(): void {
    this.error.destroy();
    this.element.remove();
  }
}
