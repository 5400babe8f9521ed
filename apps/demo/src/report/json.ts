// results.json as people read it: objects one key per line, but arrays of plain values (the
// long weight, pixel and coefficient arrays) on one line each, so the file stays small and its
// structure stays visible. Parses back to exactly what JSON.stringify would give.

/** Serializes `value` like `JSON.stringify(value, null, 2)`, except arrays of non-objects stay on one line. */
export function readableJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
    const inner = `${indent}  `;
    return `[\n${value.map((v) => inner + readableJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{}';
  const inner = `${indent}  `;
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${readableJson(v, inner)}`).join(',\n')}\n${indent}}`;
}
