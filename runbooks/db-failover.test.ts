// Real drills on a loopback lab (etcd + 3 Patroni/PostgreSQL 15): unplanned failover with
// RPO 0, then a planned switchover. Run sequentially in one file: two labs at once would
// fight over two cores and make failure detection noisy.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processesUnder } from '../lab/patroni/cluster.ts';
import { run as failover } from './db-failover.ts';
import { run as switchover } from './switchover.ts';
import { run as backupRestore } from './backup-restore.ts';
import { killLeftovers, labDirs, runJson } from './lib/labtest.ts';

const before = labDirs();
const out = mkdtempSync(join(tmpdir(), 'coc-drill-evidence-'));
const seen: string[] = [];

afterAll(() => {
  killLeftovers(before, seen);
  rmSync(out, { recursive: true, force: true });
});

/** Every process the lab started is gone, and its directory removed. */
function expectLabGone(labDir: string): void {
  expect(labDir).toMatch(/coc-lab-/);
  expect(processesUnder(labDir)).toEqual([]);
  expect(existsSync(labDir)).toBe(false);
}

describe('lab drills', () => {
  it('db failover: kill -9 leader, no acknowledged write lost, old leader rejoins, nothing left running', async () => {
    const dir = join(out, 'failover');
    try {
      const { code, json } = await runJson(failover, ['--lab', '--repeat', '1', '--json', '--out', dir]);
      if (json.labDir) seen.push(json.labDir);
      expect(json.runs).toHaveLength(1);
      const r = json.runs[0];
      expect(r.acknowledged).toBeGreaterThan(0);
      expect(r.acknowledgedAfterFailover).toBeGreaterThan(0);
      expect(r.lost).toBe(0);
      expect(r.rtoSeconds).toBeGreaterThan(0);
      expect(r.newLeader).not.toBe(r.oldLeader);
      expect(r.rejoined).toBe(true);
      expect(json.synchronousMode).toBe('strict');
      expect(json.rto.median).toBe(r.rtoSeconds);
      expect(code).toBe(0);
      // evidence bundle on disk, consistent with stdout
      expect(JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8')).runs[0].lost).toBe(0);
      expect(readFileSync(join(dir, 'evidence.md'), 'utf8')).toContain('PASS');
      expectLabGone(json.labDir);
    } finally {
      expect(killLeftovers(before, seen)).toEqual([]);
    }
  }, 600_000);

  it('switchover: patronictl switchover under load, no write fails beyond the retry window', async () => {
    try {
      const { code, json } = await runJson(switchover, ['--lab', '--repeat', '1', '--retry-window', '15', '--json', '--out', join(out, 'switchover')]);
      if (json.labDir) seen.push(json.labDir);
      const r = json.runs[0];
      expect(r.newLeader).toBe(r.candidate);
      expect(r.acknowledged).toBeGreaterThan(0);
      expect(r.lost).toBe(0);
      expect(r.failedBeyondWindow).toBe(0);
      expect(r.oldLeaderStreaming).toBe(true);
      expect(code).toBe(0);
      expect(processesUnder(json.labDir)).toEqual([]);
    } finally {
      expect(killLeftovers(before, seen)).toEqual([]);
    }
  }, 600_000);

  it('Ctrl-C mid-run: exit 130, the lab is torn down and the evidence says the drill was aborted', async () => {
    const dir = join(out, 'aborted');
    const child = spawn(process.execPath, ['bin/coc.mjs', 'drill', 'db-failover', '--lab', '--repeat', '2', '--json', '--out', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b; });
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (b: Buffer) => {
        stderr += b;
        // Interrupt run 1 right after the leader was killed: the worst moment to stop.
        if (/run 1: .*crashing it/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    try {
      expect(stderr).toMatch(/SIGINT: aborting the drill/);
      expect(code).toBe(130);
      const json = JSON.parse(stdout);
      if (json.labDir) seen.push(json.labDir);
      expect(json).toMatchObject({ ok: false, aborted: 'SIGINT', error: 'aborted by SIGINT', repeat: 2 });
      expect(json.runs).toEqual([expect.objectContaining({ run: 1, ok: false, error: 'aborted by SIGINT' })]);
      expect(JSON.parse(readFileSync(join(dir, 'evidence.json'), 'utf8')).aborted).toBe('SIGINT');
      expect(readFileSync(join(dir, 'evidence.md'), 'utf8')).toContain('**ABORTED by SIGINT (incomplete)**');
      expectLabGone(json.labDir);
    } finally {
      expect(killLeftovers(before, seen)).toEqual([]);
    }
  }, 600_000);

  it('backup and restore: every row back with its sha256, checksums on, nothing left running', async () => {
    try {
      const { code, json } = await runJson(backupRestore, ['--lab', '--rows', '300', '--json', '--out', join(out, 'backup')]);
      if (json.labDir) seen.push(json.labDir);
      expect(json.ok).toBe(true);
      expect(json.restored).toMatchObject({ rows: 300, mismatchedRows: 0, extraRows: 0, recomputedMismatches: 0 });
      expect(json.restored.digest).toBe(json.source.digest);
      expect(json.restoreSeconds).toBeGreaterThan(0);
      expect(json.checks.every((c: { pass: boolean }) => c.pass)).toBe(true);
      expect(code).toBe(0);
      expect(processesUnder(json.labDir)).toEqual([]);
      expect(existsSync(json.scratchDir)).toBe(false);
    } finally {
      expect(killLeftovers(before, seen)).toEqual([]);
    }
  }, 600_000);
});
