// The Pulumi entry point reads its settings from stack config, as `pulumi up` would.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { afterAll, expect, test, vi } from 'vitest';
import { k6FileNames } from '../k6/index.ts';
import { kubernetesObjects, recordingMocks, type Recorded } from './mocks.ts';

const records: Recorded[] = [];
await pulumi.runtime.setMocks(recordingMocks(records), 'coc', 'oog-option2-p3', false);
const dir = mkdtempSync(join(tmpdir(), 'coc-k6-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { script: p3Script } = k6FileNames(3);
writeFileSync(join(dir, p3Script), 'export default function () {}\n');
pulumi.runtime.setAllConfig({
  'coc:site': 'oog', 'coc:option': '2', 'coc:pattern': '3', 'coc:tlsSecretName': 'girs-tls',
  'coc:k6': JSON.stringify({ dir, perPodReportsPerSecond: 1, perPodMBps: 25, reason: 'a test assumption for one pod' }),
});
const entry = await import('./index.ts');
const { sizeWorkloads } = await import('./sizing-link.ts');
const { parseSettings } = await import('./settings.ts');

test('index.ts sizes the tiers for the configured pattern and registers them', async () => {
  const out = await entry.default();
  const expected = sizeWorkloads(parseSettings({ pattern: 3 }, 'test'), 'oog', 'option2');
  expect(out.uploadReplicas).toBe(expected.upload.replicas);
  expect(out.platformHosts).toEqual(['oog-vpa-01', 'oog-vpa-02']);
  // 4 reports/s ÷ 1 per pod (the configured assumption) → 4 runner pods.
  expect(out.k6Parallelism).toBe(4);
  // resourceCount: the provider and the Kubernetes objects; the components are recorded too.
  await vi.waitFor(() => expect(records.filter((r) => !r.type.startsWith('coc:workloads:')).length).toBe(out.resourceCount));
  expect(records.filter((r) => r.type === 'coc:workloads:ApplicationTier')).toHaveLength(6);
  const objects = kubernetesObjects(records) as Record<string, any>[];
  const upload = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'girs-upload');
  expect(upload?.spec.replicas).toBe(expected.upload.replicas);
  expect(objects.find((o) => o.kind === 'Ingress')?.spec.tls[0].secretName).toBe('girs-tls');
  expect(objects.find((o) => o.kind === 'TestRun')?.spec.script.configMap.file).toBe(p3Script);
});

test('bad stack config is rejected with the key named', () => {
  expect(() => entry.settingsFromConfig({ 'coc:pattern': '4' })).toThrow(/coc:pattern/);
});
