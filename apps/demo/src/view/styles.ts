// The view's own CSS, scoped by `sk-` class names, inserted once beside the view's root.

/** CSS for the view's sections, chart boxes, pixel canvases and the comparison table. */
const VIEW_CSS = `
.sk-demo { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d232a; }
.sk-demo h2 { font-size: 1.2rem; margin: 1.4rem 0 0.6rem; }
.sk-status { color: #4a5561; margin: 0.3rem 0; min-height: 1.2em; }
.sk-banner { background: #fff4d6; border: 1px solid #e9c46a; padding: 0.4rem 0.7rem; border-radius: 4px; }
.sk-headline { font-weight: 600; margin: 0.8rem 0; }
.sk-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 12px; }
.sk-chart { position: relative; height: 280px; border: 1px solid #e3e7eb; border-radius: 4px; padding: 4px; }
.sk-pixels { image-rendering: pixelated; border: 1px solid #e3e7eb; max-width: 100%; }
.sk-figures { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.sk-figure { margin: 0; }
.sk-figure figcaption { font-size: 0.85rem; color: #4a5561; }
.sk-heatmap { display: grid; grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); gap: 4px 16px; }
.sk-weights h4 { margin: 0.5rem 0 0.2rem; font-size: 0.95rem; }
.sk-heatmap .sk-pixels { width: 294px; height: auto; }
.sk-images .sk-pixels { width: 256px; height: auto; }
.sk-atoms .sk-pixels { width: 320px; height: auto; }
.sk-table { border-collapse: collapse; margin: 0.6rem 0; font-variant-numeric: tabular-nums; }
.sk-table th, .sk-table td { border-bottom: 1px solid #e3e7eb; padding: 3px 8px; text-align: right; }
.sk-table th:first-child, .sk-table td:first-child { text-align: left; }
.sk-swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
.sk-legend { font-size: 0.85rem; color: #4a5561; }
`;

/** Inserts the view's stylesheet into `document.head` (once per document). */
export function installStyles(doc: Document): void {
  if (doc.getElementById('sk-demo-styles')) return;
  const style = doc.createElement('style');
  style.id = 'sk-demo-styles';
  style.textContent = VIEW_CSS;
  doc.head.append(style);
}
