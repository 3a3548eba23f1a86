// Every entry point of the project, as `coc` commands. Each module exports run(argv) and is
// imported only when its command runs, so `coc sizing` does not load cdktf, Pulumi or pg.
// `legacy` lists the labels older messages start with, so the dispatcher names a command once.

export type Run = (argv: string[]) => Promise<number>;
export type Loader = () => Promise<{ run: Run }>;

export interface Leaf {
  describe: string;
  load: Loader;
  /** Subcommands the module parses itself (shown in help and completion only). */
  subcommands?: readonly string[];
  /** Flags, for shell completion. */
  flags?: readonly string[];
  legacy?: readonly string[];
}

export interface Group {
  describe: string;
  children: Record<string, Leaf>;
}

export type Command = Leaf | Group;

export const isGroup = (c: Command): c is Group => 'children' in c;

const SITE = ['--site', '--option'];
const DRILL = ['--lab', '--target', '--dry-run', '--json', '--out', '--patroni-url', '--help'];

export const COMMANDS: Record<string, Command> = {
  inventory: {
    describe: 'show or validate the inventory (Tables 35–41), or rewrite its JSON schema',
    load: () => import('../inventory/cli.ts'),
    subcommands: ['show', 'validate', 'schema'],
    flags: [...SITE, '--json', '--help'],
  },
  sizing: {
    describe: 'GIRS throughput model: Table 19 reproduced, findings, capacity, what-if',
    load: () => import('../sizing/cli.ts'),
    flags: ['--pattern', '--json', '--markdown', '--reports-per-year', '--peak-days', '--peak-hour-share', '--report-size-mb',
      '--protocol-overhead', '--client-upload-mbps', '--target-utilisation', '--per-core-rps', '--help'],
    legacy: ['coc sizing'],
  },
  planner: {
    describe: 'write the interactive what-if planner page (the sizing model in the browser)',
    load: () => import('../planner/cli.ts'),
    flags: ['--out', '--help'],
    legacy: ['coc planner'],
  },
  bill: {
    describe: 'bill-of-materials audit against Table 34 and the requirements',
    load: () => import('../audit/cli.ts'),
    flags: [...SITE, '--json', '--markdown', '--help'],
    legacy: ['coc bill'],
  },
  report: {
    describe: 'write the self-contained HTML audit report',
    load: () => import('../audit/report-cli.ts'),
    flags: [...SITE, '--out', '--help'],
    legacy: ['coc report'],
  },
  synth: {
    describe: 'synthesize the Proxmox VE Terraform stacks (cdktf, JSON)',
    load: () => import('../stacks/cli.ts'),
    flags: ['--out', '--stack', '--help'],
    legacy: ['coc synth'],
  },
  workloads: {
    describe: 'render the Kubernetes application tier (Pulumi program under mocks)',
    load: () => import('../workloads/cli.ts'),
    subcommands: ['render'],
    flags: ['--stack', ...SITE, '--pattern', '--k6-dir', '--out', '--help'],
    legacy: ['coc workloads render', 'coc workloads'],
  },
  ansible: {
    describe: 'export the Ansible inventory',
    load: () => import('../ansible-bridge/cli.ts'),
    subcommands: ['export'],
    flags: [...SITE, '--out', '--help'],
    legacy: ['coc ansible export', 'coc ansible'],
  },
  k6: {
    describe: 'k6 load scripts',
    children: {
      build: {
        describe: 'bundle the k6 scripts (k6/dist/girs-pN.js) from the sizing model',
        load: () => import('../k6/build.ts'),
        flags: ['--pattern', '--out-dir', '--help'],
        legacy: ['coc k6:build', 'k6:build'],
      },
    },
  },
  lab: {
    describe: 'local stand-ins used by the drills',
    children: {
      intake: {
        describe: 'the lab GIRS intake (HTTP API, fs or PostgreSQL store)',
        load: () => import('../lab/intake/server.ts'),
        flags: ['--tokens', '--store', '--data-dir', '--pg-url', '--port', '--host', '--max-bytes', '--init-tokens', '--agencies', '--examiners', '--help'],
        legacy: ['coc lab:intake', 'lab:intake'],
      },
    },
  },
  drill: {
    describe: 'failover, recovery and load drills (runbooks/)',
    children: {
      'db-failover': { describe: 'kill the Patroni leader, measure RTO and RPO', load: () => import('../runbooks/db-failover.ts'), flags: [...DRILL, '--repeat', '--recover-timeout'], legacy: ['db-failover', 'drill:db-failover'] },
      switchover: { describe: 'planned Patroni switchover, longest write pause', load: () => import('../runbooks/switchover.ts'), flags: [...DRILL, '--repeat'], legacy: ['switchover', 'drill:switchover'] },
      'backup-restore': { describe: 'base backup, restore into a fresh instance, verify every row', load: () => import('../runbooks/backup-restore.ts'), flags: [...DRILL, '--rows', '--backup-dir'], legacy: ['backup-restore', 'drill:backup-restore'] },
      'host-loss': { describe: 'lose one Proxmox host: does every VM still fit (N+1)?', load: () => import('../runbooks/host-loss.ts'), flags: [...DRILL, ...SITE, '--node', '--timeout'], legacy: ['drill:host-loss', 'host-loss'] },
      load: { describe: 'k6 load at a pattern\'s peak against the lab intake or GIRS_URL', load: () => import('../runbooks/load.ts'), flags: ['--pattern', '--duration', '--scenario', '--json', '--out', '--help'], legacy: ['drill:load', 'load'] },
      'peak-failover': { describe: 'GIRS peak with k6 while the Patroni leader is killed: lost, duplicate and corrupt reports, error window, RTO', load: () => import('../runbooks/peak-failover.ts'), flags: [...DRILL, '--repeat', '--pattern', '--duration', '--kill-after', '--recover-timeout', '--report-size-mb', '--data-dir'], legacy: ['drill:peak-failover', 'peak-failover'] },
    },
  },
  bench: {
    describe: 'benchmarks that print numbers (they assert nothing)',
    children: {
      sizing: { describe: 'CPU and wall time of `coc sizing --pattern 3 --json` next to `node -e 0`', load: () => import('../bench/sizing.ts'), flags: ['--runs', '--help'], legacy: ['bench:sizing'] },
      synth: { describe: 'synthesizing all three stacks', load: () => import('../bench/synth.ts'), flags: ['--runs', '--help'], legacy: ['bench:synth'] },
      intake: { describe: 'lab intake throughput at Pattern 1 and at saturation; --write-calibration stores the result', load: () => import('../bench/intake.ts'), flags: ['--duration', '--connections', '--out', '--help'], legacy: ['bench:intake', 'coc bench:intake'] },
      'intake-obs': { describe: 'lab intake saturation with access log + metrics off vs on, side by side', load: () => import('../bench/intake-observability.ts'), flags: ['--help'], legacy: ['bench:intake-obs'] },
      'intake-pg-mem': { describe: 'peak memory of the pg-store intake under concurrent uploads', load: () => import('../bench/intake-pg-memory.ts'), flags: ['--help'], legacy: ['bench:intake-pg-mem'] },
    },
  },
  docs: {
    describe: 'documentation helpers',
    children: {
      screenshots: { describe: "the README's screenshots, taken from the real pages in headless Chromium", load: () => import('../scripts/screenshots.ts'), flags: ['--help'], legacy: ['docs:screenshots', 'screenshots'] },
    },
  },
};
