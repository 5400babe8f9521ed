import * as sk from '@sparsekit/tensor';
sk.setBackend(process.argv[2] ?? 'cpu');
const A = sk.tensor(new Float32Array(64).fill(1), [8, 8]);
for (let i = 0; i < 20000; i++) { const y = sk.add(A, A); y.dataSync(); y.dispose(); }
const t0 = performance.now();
for (let i = 0; i < 20000; i++) { const y = sk.add(A, A); y.dataSync(); y.dispose(); }
console.log(((performance.now() - t0) / 20000 * 1000).toFixed(2), 'us/op');
