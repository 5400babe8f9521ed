// The few DOM constructors the view needs: an element with class, test id and children; a
// section with a heading; a chart box; a captioned canvas; insertion in method order.
import { MNIST_METHODS, type MnistMethod } from '../experiments/types.js';

/** Attributes set on a new element; `testid` becomes `data-testid`. */
export interface ElementOptions {
  className?: string;
  testid?: string;
  text?: string;
}

/** Creates `<tag>` with the given class, test id, text and children. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.testid) node.dataset.testid = options.testid;
  if (options.text !== undefined) node.textContent = options.text;
  node.append(...children);
  return node;
}

/** A `<section>` with an `<h2>` heading. */
export function section(title: string, testid: string): HTMLElement {
  return element('section', { className: 'sk-section', testid }, [element('h2', { text: title })]);
}

/**
 * A fixed-height box holding a canvas for Chart.js (which sizes the canvas to its box), the
 * canvas carrying `testid`. Returns the box to insert and the canvas to draw on.
 */
export function chartBox(testid: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const canvas = element('canvas', { testid });
  return { box: element('div', { className: 'sk-chart' }, [canvas]), canvas };
}

/** A `<figure>` with a pixel-art canvas (`testid`) and a caption under it. */
export function canvasFigure(
  testid: string,
  caption: string,
): {
  figure: HTMLElement;
  canvas: HTMLCanvasElement;
  caption: HTMLElement;
} {
  const canvas = element('canvas', { className: 'sk-pixels', testid });
  const captionNode = element('figcaption', { text: caption });
  return { figure: element('figure', { className: 'sk-figure' }, [canvas, captionNode]), canvas, caption: captionNode };
}

/**
 * Inserts `node` (given `data-method = method`) among `parent`'s children so that children
 * with a `data-method` stay in the order of MNIST_METHODS, whatever order they arrive in.
 */
export function insertInMethodOrder(parent: Element, node: HTMLElement, method: MnistMethod): void {
  node.dataset.method = method;
  const rank = MNIST_METHODS.indexOf(method);
  for (const child of Array.from(parent.children)) {
    const other = (child as HTMLElement).dataset.method as MnistMethod | undefined;
    if (other !== undefined && MNIST_METHODS.indexOf(other) > rank) {
      parent.insertBefore(node, child);
      return;
    }
  }
  parent.append(node);
}
