const { GPU } = require('/work/main/node_modules/.pnpm/gpu.js@2.24.1/node_modules/gpu.js');
const gpu = new GPU({ mode: 'webasm' });
const n = 1000000; const x = new Float32Array(n).map((_, i) => Math.sin(i) * 3);
const T = Float32Array.from({ length: 255 }, (_, i) => Math.pow(2, i - 127));
const body = `
  const v4 = -r0;
  const v5_0 = v4;
  const v5_1 = Math.floor(v5_0 * 1.4426950408889634 + 0.5);
  const v5_2 = (v5_1 < -126.0 ? -126.0 : (v5_1 > 128.0 ? 128.0 : v5_1));
  const v5_3 = ((v5_0 - v5_2 * 0.693359375) + v5_2 * 0.000212194440);
  const v5_4 = ((((((0.00019875691500 * v5_3 + 0.0013981999507) * v5_3 + 0.0083334519073) * v5_3 + 0.041665795894) * v5_3 + 0.16666665459) * v5_3 + 0.50000001201) * v5_3 * v5_3 + v5_3 + 1.0);
  const v5 = (v5_0 != v5_0 ? v5_0 : (v5_0 > 88.72283 ? 3.4028234663852886e38 * 2.0 : (v5_0 < -87.33654 ? 0.0 : v5_4 * this.constants.p2[v5_2 + 126.0] * 2.0)));
  return v5;`;
const V = {
  locali: [`function(a0) { const i = this.thread.x; const r0 = a0[i]; ${body} }`, {a0:'Array'}],
  inline: [`function(a0) { const r0 = a0[this.thread.x]; ${body} }`, {a0:'Array'}],
  withscalar: [`function(a0, s0) { const r0 = a0[this.thread.x] * s0; ${body} }`, {a0:'Array', s0: 'Float'}],
};
for (const [k, [src, at]] of Object.entries(V)) {
  const kern = gpu.createKernel(src, { output: [n], constants: { p2: T }, argumentTypes: at });
  const args = k === 'withscalar' ? [x, 1.5] : [x];
  for (let i = 0; i < 3; i++) kern(...args);
  const t0 = performance.now(); for (let i = 0; i < 7; i++) kern(...args); console.log(k, ((performance.now() - t0) / 7).toFixed(2), kern.kernel.constructor.name);
}
