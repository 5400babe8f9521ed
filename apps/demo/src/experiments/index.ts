// The demo's experiments, one definition for both faces (the CLI and the web page). No Node
// imports here: the data comes in as plain values (src/node/data.ts loads it in Node).

export { RunAborted } from './abort.js';
export { defaultConfig, MNIST_DIGITS, resolveConfig } from './config.js';
export { runKsvd } from './ksvd.js';
export { LAMBDA_CACHE, type LambdaCache, type LambdaRow, type LambdaSelection } from './lambdas.js';
export { runLasso } from './lasso.js';
export { LAMBDA_MEANING, LAMBDA_METHODS, type LambdaMethod, METHOD_LABELS, MLP_SIZES } from './methods.js';
export { HEADLINE_ACCURACY_GAP, HEADLINE_SPARSITY, LATENCY_SAMPLES, runMnist } from './mnist.js';
export { runDemo } from './run.js';
export * from './types.js';
