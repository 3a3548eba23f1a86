// Builds the planner page: bundles planner/page.ts (and with it the pure sizing modules)
// with esbuild, and inlines the bundle, the styles and the data into one HTML file that
// works from file:// with no network.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { PlannerData } from './data.ts';
import { STYLE } from './style.ts';

const ENTRY = fileURLToPath(new URL('./page.ts', import.meta.url));
/** Marks a file this tool wrote, so a rebuild may replace it and nothing else. */
export const GENERATOR = 'coc planner';

/** The page's script. Bundled for the browser platform, so a Node import in the model fails the build. */
export async function bundlePage(): Promise<string> {
  const out = await build({
    entryPoints: [ENTRY], bundle: true, write: false, platform: 'browser', format: 'iife',
    target: 'es2022', minify: true, legalComments: 'none', logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

// Inline <script> content must not close its element early.
const inline = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

export async function plannerHtml(data: PlannerData): Promise<string> {
  const js = await bundlePage();
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${GENERATOR}">
<title>GIRS what-if planner (Table 19 and capacity)</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>GIRS what-if planner</h1>
  <p>Table 19 (§3.5.1) recomputed from Table 18 and the assumption ledger, by the sizing model itself, in this page. Change any input; every figure below follows.</p>
  <p id="provenance" class="small"></p>
  <noscript><p class="bad">This page computes in the browser: enable JavaScript, or use <code>npm run sizing</code>.</p></noscript>
</header>
<main>
<section id="inputs" aria-label="Inputs">
  <h2>Inputs</h2>
  <label class="in"><span class="name">Pattern</span>
    <select id="pattern"><option value="1">1: ministries, provinces, all levels' basic data</option><option value="2" selected>2: ministries and provinces (recommended)</option><option value="3">3: all People's Committees (VNPT)</option></select></label>
  <div class="cmd"><code id="command"></code> <button id="copy" type="button">Copy as command</button> <span id="copied" role="status"></span> <button id="reset" type="button">Reset</button></div>
  <div id="file-edits" class="small"></div>
  <p id="status" class="bad" role="status"></p>
  <h3>What-if flags (<code>npm run sizing</code>)</h3>
  <div id="flags" class="grid"></div>
  <details><summary>Every other number of the ledger (inventory/demand.yaml)</summary><div id="demand" class="grid"></div></details>
  <details><summary>Hypervisor reserve (N+1 host loss; inventory site file)</summary><div id="reserve" class="grid"></div></details>
</section>
<section id="results" aria-label="Results">
  <div id="table19-out"></div>
  <h2>Findings</h2>
  <div id="findings"></div>
  <h2>Capacity, link utilisation, queueing and N+1</h2>
  <div id="capacity-out"></div>
  <p id="odb"></p>
  <div id="charts"></div>
  <details><summary><code>npm run -s sizing -- … --json</code> for these inputs</summary><pre id="json"></pre></details>
</section>
</main>
<script type="application/json" id="planner-data">${json}</script>
<script>${inline(js)}</script>
</body>
</html>
`;
}
