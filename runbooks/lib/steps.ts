// Concise progress lines on stderr ("[  12.3s] step"), so stdout stays clean for --json.
export type Step = (line: string) => void;

export function stepLogger(drill: string, quiet = false): Step {
  const t0 = Date.now();
  return (line) => {
    if (!quiet) process.stderr.write(`[${drill} ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
  };
}

/** --dry-run: print the plan (JSON with the drill's parameters, or numbered lines); nothing starts. */
export function printPlan(drill: string, mode: string, json: boolean, steps: string[], params: Record<string, unknown> = {}): void {
  if (json) console.log(JSON.stringify({ drill, dryRun: true, mode, ...params, plan: steps }));
  else console.log([`${drill} plan (dry run, nothing started):`, ...steps.map((s, i) => `  ${i + 1}. ${s}`)].join('\n'));
}
