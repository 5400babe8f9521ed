// Terminal drawing: sparklines for curves (loss, sparsity over time).
const BARS = '▁▂▃▄▅▆▇█';

/** One character per value, scaled between the series' min and max. */
export function spark(xs, lo = Math.min(...xs), hi = Math.max(...xs)) {
  return xs.map((x) => BARS[Math.round(((x - lo) / (hi - lo || 1)) * (BARS.length - 1))]).join('');
}

/** A fixed-width progress bar. */
export function bar(done, total, width = 24) {
  const k = Math.round((done / total) * width);
  return `[${'#'.repeat(k)}${'.'.repeat(width - k)}]`;
}
