// Where Terraform keeps a stack's state, taken from configuration (the environment), so no
// state file (it holds the API tokens and the PBS password in plain text) lands in the repo.
//   COC_TF_BACKEND=pg     (default, the team's setting) Terraform's built-in pg backend: state
//                         and locking in a PostgreSQL the site already runs. The connection
//                         string is a secret: it is never synthesized, `terraform init` reads
//                         it from PG_CONN_STR (or -backend-config="conn_str=…").
//   COC_TF_BACKEND=local  lab only: COC_TF_STATE_DIR=<absolute dir outside the repository>.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Construct } from 'constructs';
import { LocalBackend, TerraformBackend, type TerraformRemoteState } from './cdktf.ts';
import { StackInputError } from './errors.ts';

export const BACKEND_ENV = 'COC_TF_BACKEND';
export const STATE_DIR_ENV = 'COC_TF_STATE_DIR';
const REPO_DIR = resolve(fileURLToPath(new URL('..', import.meta.url)));

export type BackendConfig =
  | { kind: 'pg'; schemaName: string }
  | { kind: 'local'; path: string };

/** One PostgreSQL schema per stack: the pg backend keeps one row per workspace in <schema>.states. */
export const pgSchemaName = (stack: string) => `coc_${stack.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`;

/** The backend of `stack` from the environment; bad settings are one clear StackInputError. */
export function backendConfig(stack: string, env: NodeJS.ProcessEnv = process.env, repoDir = REPO_DIR): BackendConfig {
  const kind = (env[BACKEND_ENV] ?? 'pg').trim() || 'pg';
  if (kind === 'pg') return { kind, schemaName: pgSchemaName(stack) };
  if (kind !== 'local') throw new StackInputError(`${BACKEND_ENV}=${kind}: unknown backend; expected pg (the team default) or local (lab only)`);
  const dir = env[STATE_DIR_ENV]?.trim();
  if (!dir || !isAbsolute(dir)) {
    throw new StackInputError(`${BACKEND_ENV}=local needs ${STATE_DIR_ENV}=<absolute directory outside the repository>, got ${dir ? `"${dir}"` : 'nothing'}`);
  }
  const rel = relative(repoDir, resolve(dir));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new StackInputError(`${STATE_DIR_ENV}=${dir} is inside the repository (${repoDir}); state holds secrets in plain text, expected a directory outside it`);
  }
  return { kind, path: join(resolve(dir), `${stack}.tfstate`) };
}

/**
 * The pg backend without `conn_str` (a partial configuration): cdktf's PgBackend requires
 * the connection string, which would write the database password into cdk.tf.json.
 */
class PartialPgBackend extends TerraformBackend {
  constructor(scope: Construct, private readonly schemaName: string) {
    super(scope, 'backend', 'pg');
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return { schema_name: this.schemaName };
  }
  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return this.synthesizeAttributes();
  }
  override getRemoteStateDataSource(): TerraformRemoteState {
    throw new StackInputError('stacks do not read each other\'s state');
  }
}

export function addBackend(scope: Construct, cfg: BackendConfig): void {
  if (cfg.kind === 'pg') new PartialPgBackend(scope, cfg.schemaName);
  else new LocalBackend(scope, { path: cfg.path });
}
