// The self-contained HTML report: the results as inline JSON and the view's script bundle
// (Chart.js included) inline, so the file opens from file:// with no server and no network.
// Pure string building; the Node side (files.ts) reads the bundle and writes the file.
import type { DemoResults } from '../experiments/types.js';
import { headlineText } from '../view/summary.js';
import { RESULTS_ELEMENT_ID, ROOT_ELEMENT_ID } from './ids.js';

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * JSON that is safe inside `<script type="application/json">`: every `<` written as the JSON
 * escape `\u003c`, so neither `</script>` nor `<!--` can end or alter the element.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * A script's source made safe to inline in `<script>`: `</script` becomes `<\/script` (the same
 * characters to JavaScript, in strings and regular expressions alike). A bundle holding `<!--`,
 * which would switch the HTML parser into its escaped-script state, is refused.
 */
export function scriptSafeSource(source: string): string {
  if (source.includes('<!--')) throw new Error('report: the view bundle contains "<!--" and cannot be inlined');
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

/** The complete report page for `results`, its script being `viewScript` (the built view bundle). */
export function reportHtml(results: DemoResults, viewScript: string): string {
  const title = `SparseKit demo report · ${results.meta.startedAt}`;
  const headline = results.mnist ? `<p>${escapeHtml(headlineText(results.mnist))}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body { margin: 1.5rem auto; max-width: 1280px; padding: 0 1rem; } header h1 { font: 600 1.5rem system-ui, sans-serif; }</style>
</head>
<body>
<header>
<h1>SparseKit: why Adam is not sparse, and what fixes it</h1>
<noscript>${headline}<p>Charts need JavaScript; every number is in results.json beside this file.</p></noscript>
</header>
<main id="${ROOT_ELEMENT_ID}"></main>
<script type="application/json" id="${RESULTS_ELEMENT_ID}">${scriptSafeJson(results)}</script>
<script>${scriptSafeSource(viewScript)}</script>
</body>
</html>
`;
}
