// Drill entry points: --dry-run starts nothing and prints the plan; bad flags exit 2 with
// a message naming the flag.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InputError } from '../cli/errors.ts';
import { run as failover } from './db-failover.ts';
import { run as switchover } from './switchover.ts';
import { run as backup } from './backup-restore.ts';
import { labDirs, runJson } from './lib/labtest.ts';
import { summarize } from './lib/stats.ts';
import { longestGap } from './switchover.ts';


describe('drill flags', () => {
  it('--dry-run prints the plan as JSON and starts no lab', async () => {
    const before = labDirs();
    for (const [run, name] of [[failover, 'db-failover'], [switchover, 'switchover'], [backup, 'backup-restore']] as const) {
      const { code, json } = await runJson(run, ['--lab', '--dry-run', '--json']);
      expect(code).toBe(0);
      expect(json).toMatchObject({ drill: name, dryRun: true, mode: 'lab' });
      expect(json.plan.length).toBeGreaterThan(3);
    }
    expect([...labDirs()].filter((d) => !before.has(d))).toEqual([]);
  });

  it('rejects bad input with an InputError naming the flag', async () => {
    const cases: [typeof failover, string[], RegExp][] = [
      [failover, ['--lab', '--repeat', '0'], /--repeat: expected an integer from 1 to 20, got "0"/],
      [failover, ['--repeat', '2'], /expected --lab .* or --target/],
      [failover, ['--lab', '--target'], /exclude each other/],
      [failover, ['--target', '--dry-run'], /--target needs at least one --patroni-url/],
      [failover, ['--target', '--patroni-url', 'ftp://x', '--dry-run'], /--patroni-url: expected an http\(s\) URL/],
      [failover, ['--target', '--patroni-url', 'http://10.0.0.1:8008', '--dry-run'], /needs --kill-command and --restart-command/],
      [failover, ['--lab', '--bogus'], /Unknown option '--bogus'/],
      [switchover, ['--lab', '--retry-window=-1'], /--retry-window: expected seconds/],
      [switchover, ['--target', '--patroni-url', 'http://10.0.0.1:8008'], /--patronictl-config/],
      [backup, ['--target', '--patroni-url', 'http://10.0.0.1:8008', '--dry-run'], /--backup-dir/],
      [backup, ['--lab', '--rows', 'many'], /--rows: expected an integer/],
    ];
    for (const [run, argv, msg] of cases) {
      const err = await run(argv).then(() => null, (e: unknown) => e);
      expect(err, argv.join(' ')).toBeInstanceOf(InputError);
      expect((err as InputError).message).toMatch(msg);
      expect((err as InputError).exitCode).toBe(2);
    }
  });

  it('--target without the connection URL in the environment is refused before anything runs', async () => {
    const saved = process.env.COC_DRILL_PG_URL;
    delete process.env.COC_DRILL_PG_URL;
    try {
      await expect(switchover(['--target', '--patroni-url', 'http://10.0.0.1:8008', '--patronictl-config', '/etc/patroni/config.yml'])).rejects.toThrow(/COC_DRILL_PG_URL/);
    } finally {
      if (saved !== undefined) process.env.COC_DRILL_PG_URL = saved;
    }
  });

  it('the script entry point exits 2 on bad flags and 0 on --dry-run', () => {
    const bad = spawnSync(process.execPath, ['bin/coc.mjs', 'drill', 'db-failover', '--lab', '--repeat', 'x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--repeat: expected an integer');
    const dry = spawnSync(process.execPath, ['bin/coc.mjs', 'drill', 'db-failover', '--lab', '--dry-run'], { encoding: 'utf8' });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('kill -9');
  }, 300_000);
});

describe('drill statistics', () => {
  it('summarizes min/median/max', () => {
    expect(summarize([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(summarize([4, 1, 2, 3])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(summarize([])).toBeNull();
  });

  it('finds the longest pause between acknowledged writes after the switchover', () => {
    const acks = [{ seq: 1, at: 100, member: 'a' }, { seq: 2, at: 1000, member: 'a' }, { seq: 3, at: 1100, member: 'b' }, { seq: 4, at: 4100, member: 'b' }];
    expect(longestGap(acks, 900)).toBe(3000);
  });
});
