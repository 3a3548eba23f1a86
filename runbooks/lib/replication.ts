// Replication checks run on the leader (pg_stat_replication), independent of Patroni's view.
import type { ClientConfig } from 'pg';
import { connect } from './writer.ts';
import { fetchCluster, type PatroniCluster } from '../../lab/patroni/client.ts';

export interface StandbyState { name: string; state: string; syncState: string; lagBytes: number }

export async function standbys(leader: ClientConfig): Promise<StandbyState[]> {
  const c = await connect(leader);
  try {
    const r = await c.query<{ name: string; state: string; sync_state: string; lag: string | null }>(
      `SELECT application_name AS name, state, sync_state,
              pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag
         FROM pg_stat_replication`);
    return r.rows.map((x) => ({ name: x.name, state: x.state, syncState: x.sync_state, lagBytes: x.lag === null ? -1 : Number(x.lag) }));
  } finally {
    await c.end().catch(() => {});
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch {
      // transient during failover: try again
    }
    await sleep(everyMs);
  }
  return undefined;
}

/** The DCS's synchronous mode as Patroni reports it (GET /config): strict, on or off. */
export async function synchronousMode(apiUrls: readonly string[]): Promise<string> {
  for (const base of apiUrls) {
    try {
      const res = await fetch(`${base.replace(/\/$/, '')}/config`, { signal: AbortSignal.timeout(1000) });
      const cfg = (await res.json()) as { synchronous_mode?: boolean; synchronous_mode_strict?: boolean };
      return cfg.synchronous_mode ? (cfg.synchronous_mode_strict ? 'strict' : 'on') : 'off';
    } catch { /* next member */ }
  }
  return 'unknown';
}

export async function clusterOrNull(apiUrls: readonly string[]): Promise<PatroniCluster | null> {
  return fetchCluster(apiUrls);
}

/** Wait until `member` streams from the leader with replay lag 0 and Patroni lists it as a running replica. */
export async function waitStreaming(leader: ClientConfig, apiUrls: readonly string[], member: string, timeoutMs: number): Promise<boolean> {
  const ok = await waitFor(async () => {
    const st = (await standbys(leader)).find((s) => s.name === member);
    const m = (await fetchCluster(apiUrls))?.members.find((x) => x.name === member);
    return st?.state === 'streaming' && st.lagBytes === 0 && m && m.role !== 'leader' && m.state === 'running' ? true : undefined;
  }, timeoutMs, 500);
  return ok === true;
}
