// Concise progress lines on stderr ("[  12.3s] step"), so stdout stays clean for --json.
export type Step = (line: string) => void;

export function stepLogger(drill: string, quiet = false): Step {
  const t0 = Date.now();
  return (line) => {
    if (!quiet) process.stderr.write(`[${drill} ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
  };
}
