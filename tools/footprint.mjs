#!/usr/bin/env node
// Install footprint of each published package: the bytes `npm i <package>` puts on disk, read
// from this workspace's node_modules. A package counts its published files (package.json
// `files`, after `pnpm build`) plus, transitively, every production dependency: workspace
// siblings by their published files, third-party packages by their whole folder (what the
// registry tarball unpacks to), optional dependencies included (npm installs them when it can;
// gpu.js's optional `gl` addon then compiles, adding its build output on top).
//
//   node tools/footprint.mjs            a table for every published package
//   node tools/footprint.mjs --json     the same as JSON
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

// Bytes of every file below `path`, links followed once, nested node_modules left out. A native
// addon's build/ folder is left out too: it is what a local compile produced (its size depends
// on whether and how often it was built here), not what the registry tarball unpacks to.
function bytes(path, isPackageRoot = true) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  const addon = isPackageRoot && existsSync(join(path, 'binding.gyp'));
  let total = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || (addon && entry === 'build')) continue;
    const child = join(path, entry);
    if (lstatSync(child).isSymbolicLink() && !existsSync(child)) continue;
    total += bytes(child, false);
  }
  return total;
}

// Where Node's resolution finds `name` from `from`: node_modules folders up the tree.
function locate(name, from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return null;
  }
}

function isWorkspace(dir) {
  return !dir.includes(`${join('node_modules', '.pnpm')}`);
}

// A workspace package's published bytes: package.json plus its `files` entries.
function publishedBytes(dir) {
  const pkg = readJson(join(dir, 'package.json'));
  let total = statSync(join(dir, 'package.json')).size;
  for (const f of pkg.files ?? []) if (existsSync(join(dir, f))) total += bytes(join(dir, f));
  return total;
}

/** The production closure of the package in `dir`: name → { version, bytes }. */
export function closure(dir) {
  const seen = new Map();
  const missing = new Set();
  const visit = (d, isRoot) => {
    const pkg = readJson(join(d, 'package.json'));
    const key = `${pkg.name}@${pkg.version}`;
    if (seen.has(key)) return;
    seen.set(key, { name: pkg.name, bytes: isRoot || isWorkspace(d) ? publishedBytes(d) : bytes(d) });
    const deps = { ...pkg.dependencies, ...pkg.optionalDependencies };
    for (const name of Object.keys(deps)) {
      const found = locate(name, d);
      if (found) visit(found, false);
      else missing.add(name);
    }
  };
  visit(realpathSync(dir), true);
  return { packages: [...seen.values()], missing: [...missing] };
}

const mb = (n) => `${(n / 1e6).toFixed(n < 1e6 ? 2 : 1)} MB`;

function main() {
  const dirs = readdirSync(join(ROOT, 'packages'))
    .map((d) => join(ROOT, 'packages', d))
    .filter((d) => existsSync(join(d, 'package.json')) && !readJson(join(d, 'package.json')).private);
  const rows = dirs.map((d) => {
    const { packages, missing } = closure(d);
    const own = packages[0];
    const deps = packages.slice(1).sort((a, b) => b.bytes - a.bytes);
    return {
      name: own.name,
      own: own.bytes,
      total: packages.reduce((s, p) => s + p.bytes, 0),
      packages: packages.length,
      largest: deps.slice(0, 3).map((p) => `${p.name} ${mb(p.bytes)}`),
      notInstalled: missing,
    };
  });
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  for (const r of rows) {
    const extra = r.notInstalled.length ? `; not installed here: ${r.notInstalled.join(', ')}` : '';
    console.log(
      `${r.name.padEnd(24)} ${mb(r.total).padStart(9)} in ${String(r.packages).padStart(2)} packages (own ${mb(r.own)}; largest: ${r.largest.join(', ') || '—'}${extra})`,
    );
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) main();
