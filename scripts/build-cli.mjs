#!/usr/bin/env node
// Builds the `coc` CLI into dist/ (run by `npm ci` through the `prepare` script, or `npm run
// build`): one ES module per lazily loaded command, npm packages left external. bin/coc.mjs runs
// dist/ when it is as new as every source file it was built from (dist/inputs.json), else the
// TypeScript through tsx in the same process. Without esbuild (npm ci --omit=dev) it builds
// nothing and says so; `coc` still works, only its start-up costs more.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// COC_BUILD_OUT builds elsewhere (the tests do, so they never swap the dist/ other runs use).
const dist = process.env.COC_BUILD_OUT ? resolve(process.env.COC_BUILD_OUT) : join(root, 'dist');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('coc build: esbuild is not installed (npm ci --omit=dev?); coc will run its TypeScript through tsx');
  process.exit(0);
}

// Code that finds files next to itself (inventory/*.yaml, workloads/Pulumi.*.yaml, templates)
// uses import.meta.url; in dist/ that URL must still point at the source file's folder.
const keepSourceUrl = {
  name: 'keep-source-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      if (!src.includes('import.meta.url')) return undefined;
      const rel = relative(dist, args.path).split('\\').join('/');
      return { contents: src.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

// The packages on the path of the quick commands (sizing, inventory, bill) are bundled: one
// file loads much faster than a package's hundreds of modules (zod alone: ~80 ms of CPU).
// Everything else (cdktf, Pulumi, pg, esbuild, vega, …) stays in node_modules, loaded lazily.
const BUNDLED = new Set(['zod', 'yaml']);
const pkgJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys({ ...pkgJson.dependencies, ...pkgJson.devDependencies })
  .filter((p) => !BUNDLED.has(p))
  .flatMap((p) => [p, `${p}/*`]);

const tmp = `${dist}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { main: 'bin/main.ts' },
  outdir: tmp,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // CommonJS code inside the bundle (yaml's) requires Node built-ins: give it a require.
  banner: { js: "import { createRequire as __cocRequire } from 'node:module'; const require = __cocRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
  plugins: [keepSourceUrl],
});
const inputs = {};
for (const file of Object.keys(result.metafile.inputs)) {
  if (file.startsWith('node_modules/')) continue; // a reinstall rebuilds dist/ (prepare)
  const st = statSync(join(root, file));
  inputs[file] = [st.size, st.mtimeMs];
}
// package.json too: `coc --version` reads it.
const pkg = statSync(join(root, 'package.json'));
inputs['package.json'] = [pkg.size, pkg.mtimeMs];
writeFileSync(join(tmp, 'inputs.json'), `${JSON.stringify(inputs)}\n`);
writeFileSync(join(tmp, 'package.json'), '{"type":"module"}\n');
mkdirSync(dirname(dist), { recursive: true });
rmSync(dist, { recursive: true, force: true });
renameSync(tmp, dist);
console.error(`coc build: dist/ from ${Object.keys(inputs).length} source files`);
