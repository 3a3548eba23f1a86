// The one owner of the file names of a pattern's k6 run: the bundle and its plan
// (`coc k6 build`, the workloads ConfigMap) and the drill's summary and JUnit files.
import type { PatternId } from '../sizing/index.ts';

export interface K6FileNames {
  /** The bundled script k6 runs: girs-p<N>.js. */
  script: string;
  /** The plan it was built from (numbers and sources): girs-p<N>.plan.json. */
  plan: string;
  /** The load drill's machine-readable verdict: k6-girs-p<N>-summary.json. */
  summary: string;
  /** The load drill's JUnit report: k6-girs-p<N>-junit.xml. */
  junit: string;
}

export function k6FileNames(pattern: PatternId): K6FileNames {
  const base = `girs-p${pattern}`;
  return { script: `${base}.js`, plan: `${base}.plan.json`, summary: `k6-${base}-summary.json`, junit: `k6-${base}-junit.xml` };
}

/** True for a bundle or plan file name of any pattern (what a k6/dist folder holds). */
export const isBundleFile = (name: string): boolean => /^girs-p\d\.(js|plan\.json)$/.test(name);
