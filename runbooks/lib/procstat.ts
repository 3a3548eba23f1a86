// CPU and memory of the load generator and of the intake, sampled from /proc while the
// drill runs: on one box they compete for the same cores, so neither figure means much
// without the other (and the machine's load average next to both).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const CLK_TCK = (() => {
  try { return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { return 100; }
})();

/** CPU seconds (user + system, all threads) and resident MB of a process, or null once it is gone. */
export function procSample(pid: number): { cpuSeconds: number; rssMB: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    return { cpuSeconds: (Number(f[11]) + Number(f[12])) / CLK_TCK, rssMB: rss ? Number(rss[1]) / 1024 : 0 };
  } catch {
    return null;
  }
}

export interface Usage { cpuSeconds: number; cpuCores: number; peakRssMB: number; seconds: number }
export interface Sampler { stop(): Usage; peek(): Usage }

/** Samples `pid` every `everyMs` until stopped; CPU is the difference from the first sample. */
export function sampleProcess(pid: number, everyMs = 1000): Sampler {
  const t0 = performance.now();
  const first = procSample(pid);
  let last = first;
  let peak = first?.rssMB ?? 0;
  const tick = () => {
    const s = procSample(pid);
    if (!s) return;
    last = s;
    peak = Math.max(peak, s.rssMB);
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  const usage = (): Usage => {
    const seconds = (performance.now() - t0) / 1000;
    const cpu = first && last ? last.cpuSeconds - first.cpuSeconds : 0;
    return { cpuSeconds: cpu, cpuCores: seconds > 0 ? cpu / seconds : 0, peakRssMB: peak, seconds };
  };
  return {
    peek: usage,
    stop() {
      tick();
      clearInterval(timer);
      return usage();
    },
  };
}

export function loadAverage(): [number, number, number] {
  const [a, b, c] = loadavg();
  return [Number(a!.toFixed(2)), Number(b!.toFixed(2)), Number(c!.toFixed(2))];
}
