// The `coc` CLI: one entry point, one module per subcommand, loaded on demand so
// `coc sizing` does not pay for cdktf or Pulumi start-up.
import { CliError } from './errors.ts';

type Command = { describe: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> };

const commands: Record<string, Command> = {
  inventory: { describe: 'show or validate the inventory (Tables 35–41)', load: () => import('../inventory/cli.ts') },
  sizing: { describe: 'GIRS throughput model: Table 19 reproduced, findings, capacity', load: () => import('../sizing/cli.ts') },
  planner: { describe: 'write the interactive what-if planner page (sizing model in the browser)', load: () => import('../planner/cli.ts') },
  bill: { describe: 'bill-of-materials audit against Table 34 and the requirements', load: () => import('../audit/cli.ts') },
  report: { describe: 'write the self-contained HTML audit report', load: () => import('../audit/report-cli.ts') },
  synth: { describe: 'synthesize the Proxmox VE Terraform stacks (cdktf, JSON)', load: () => import('../stacks/cli.ts') },
  workloads: { describe: 'render the Kubernetes application tier (Pulumi program under mocks)', load: () => import('../workloads/cli.ts') },
  ansible: { describe: 'export the Ansible inventory', load: () => import('../ansible-bridge/cli.ts') },
};

function usage(): string {
  const rows = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.describe}`);
  return ['usage: coc <command> [options]', '', 'commands:', ...rows, '', 'Run `coc <command> --help` for the options of one command.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    console.error(`coc: unknown command "${name}"; expected one of: ${Object.keys(commands).join(', ')}`);
    return 2;
  }
  try {
    const mod = await cmd.load();
    return await mod.run(rest);
  } catch (e) {
    if (e instanceof CliError) {
      console.error(e.message);
      return e.exitCode;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => { console.error(e instanceof Error ? (e.stack ?? e.message) : String(e)); process.exitCode = 1; },
);
