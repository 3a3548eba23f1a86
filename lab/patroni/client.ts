// Minimal Patroni REST API client (GET /cluster), used by the lab and by the drills (runbooks import it from here).
// Health probes are unauthenticated GETs, so no credentials are needed here.
import { z } from 'zod';

const Member = z.object({
  name: z.string(),
  role: z.string(),
  state: z.string().default(''),
  api_url: z.string().optional(),
  host: z.string().optional(),
  port: z.number().optional(),
  timeline: z.number().optional(),
  lag: z.union([z.number(), z.string()]).optional(),
});
const ClusterDoc = z.object({ members: z.array(Member), scope: z.string().optional() });

export type PatroniMember = z.infer<typeof Member>;
export type PatroniCluster = z.infer<typeof ClusterDoc>;

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return res.json();
}

/** /cluster from the first member that answers; null when none does. */
export async function fetchCluster(urls: readonly string[], timeoutMs = 1000): Promise<PatroniCluster | null> {
  for (const base of urls) {
    try {
      const parsed = ClusterDoc.safeParse(await getJson(`${base.replace(/\/$/, '')}/cluster`, timeoutMs));
      if (parsed.success) return parsed.data;
    } catch {
      // member down or restarting: ask the next one
    }
  }
  return null;
}

export function leaderOf(c: PatroniCluster | null): PatroniMember | undefined {
  return c?.members.find((m) => m.role === 'leader');
}

export function replicasOf(c: PatroniCluster | null): PatroniMember[] {
  return (c?.members ?? []).filter((m) => m.role === 'replica' || m.role === 'sync_standby');
}

/** One leader plus `replicas` running replicas, at least one of them synchronous when required. */
export function isHealthy(c: PatroniCluster | null, replicas: number, needSync: boolean): boolean {
  const leader = leaderOf(c);
  const running = replicasOf(c).filter((m) => m.state === 'running' || m.state === 'streaming');
  return leader?.state === 'running' && running.length >= replicas && (!needSync || running.some((m) => m.role === 'sync_standby'));
}

export function describe(c: PatroniCluster | null): string {
  if (!c) return 'no member answers';
  return c.members.map((m) => `${m.name}:${m.role}/${m.state || '?'}${m.lag !== undefined ? ` lag=${m.lag}` : ''}`).join(' ');
}
