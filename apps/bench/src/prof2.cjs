const { GPU } = require('/work/main/node_modules/.pnpm/gpu.js@2.24.1/node_modules/gpu.js');
const gpu = new GPU({ mode: 'webasm' });
const n = 1000000; const x = new Float32Array(n).map((_, i) => Math.sin(i) * 3);
const T = Float32Array.from({ length: 255 }, (_, i) => Math.pow(2, i - 127));
const poly = (r) => `((((((0.00019875691500 * ${r} + 0.0013981999507) * ${r} + 0.0083334519073) * ${r} + 0.041665795894) * ${r} + 0.16666665459) * ${r} + 0.50000001201) * ${r} * ${r} + ${r} + 1.0)`;
const V = {
  mathexp: `function(a0) { const x = a0[this.thread.x]; return Math.exp(x); }`,
  mine: `function(a0) { const x = a0[this.thread.x]; const n = Math.floor(x * 1.4426950408889634 + 0.5); const c = (n < -126.0 ? -126.0 : (n > 128.0 ? 128.0 : n)); const r = ((x - c * 0.693359375) + c * 0.000212194440); const p = ${poly('r')}; return (x != x ? x : (x > 88.72283 ? 3.4028234663852886e38 * 2.0 : (x < -87.33654 ? 0.0 : p * this.constants.p2[c + 126.0] * 2.0))); }`,
  noguard: `function(a0) { const x = a0[this.thread.x]; const n = Math.floor(x * 1.4426950408889634 + 0.5); const c = (n < -126.0 ? -126.0 : (n > 128.0 ? 128.0 : n)); const r = ((x - c * 0.693359375) + c * 0.000212194440); const p = ${poly('r')}; return p * this.constants.p2[c + 126.0] * 2.0; }`,
  minmax: `function(a0) { const x = a0[this.thread.x]; const c = Math.min(Math.max(Math.floor(x * 1.4426950408889634 + 0.5), -126.0), 128.0); const r = ((x - c * 0.693359375) + c * 0.000212194440); const p = ${poly('r')}; return p * this.constants.p2[c + 126.0] * 2.0; }`,
  notable: `function(a0) { const x = a0[this.thread.x]; const c = Math.min(Math.max(Math.floor(x * 1.4426950408889634 + 0.5), -126.0), 128.0); const r = ((x - c * 0.693359375) + c * 0.000212194440); const p = ${poly('r')}; return p * c; }`,
  inlineidx: `function(a0) { const x = a0[this.thread.x]; return x * 2.0; }`,
};
for (const [k, src] of Object.entries(V)) {
  const kern = gpu.createKernel(src, { output: [n], constants: { p2: T }, argumentTypes: { a0: 'Array' } });
  for (let i = 0; i < 3; i++) kern(x);
  const t0 = performance.now(); for (let i = 0; i < 7; i++) kern(x); console.log(k, ((performance.now() - t0) / 7).toFixed(2), kern.kernel.constructor.name);
}
