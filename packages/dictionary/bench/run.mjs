// `pnpm bench` for @sparsekit/dictionary: sparse coding (coding.mjs), then dictionary learning
// (learning.mjs) when present, each in its own Node process so one's kernels and memory do
// not colour the other's timings. Exits non-zero if either fails.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let failed = false;
for (const name of ['coding.mjs', 'learning.mjs']) {
  const file = fileURLToPath(new URL(name, import.meta.url));
  if (!existsSync(file)) continue;
  console.log(`\n=== bench/${name} ===`);
  const r = spawnSync(process.execPath, [file, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench/${name} exited with ${r.status ?? r.signal}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
