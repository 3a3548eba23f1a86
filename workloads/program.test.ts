// The Pulumi program under mocks: mocks are installed before the program is imported, and
// run with isDryRun = false so every Output resolves to its final value.
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, test } from 'vitest';
import { kubernetesObjects, recordingMocks, settled, type Recorded } from './mocks.ts';

const records: Recorded[] = [];
await pulumi.runtime.setMocks(recordingMocks(records), 'coc', 'oog-option2-p2', false);
const { defineWorkloads } = await import('./program.ts');
const { parseSettings } = await import('./settings.ts');
const { sizeWorkloads } = await import('./sizing-link.ts');
const { fakeBundle, oogView } = await import('./fixtures.ts');
const { validateAll } = await import('./validate.ts');
const { checkPolicies, policyContext } = await import('./policy.ts');
const { toManifests, RENDERED_MANAGED_BY } = await import('./render.ts');

const settings = parseSettings({ option: '2', pattern: 2 }, 'test');
const view = oogView('2');
const program = defineWorkloads({ settings, view, sizing: sizeWorkloads(settings, 'oog', 'option2'), k6: fakeBundle(2) });
await settled(program.resources);
const objects = kubernetesObjects(records) as Record<string, any>[];

describe('COC application tier under Pulumi mocks (oog option 2, Pattern 2)', () => {
  test('registers Kubernetes objects of every kind the tier needs', () => {
    expect(objects.length).toBeGreaterThan(0);
    const kinds = new Set(objects.map((o) => o.kind));
    for (const k of ['Namespace', 'Deployment', 'Service', 'Ingress', 'NetworkPolicy', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ConfigMap', 'TestRun']) {
      expect(kinds, k).toContain(k);
    }
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort()).toEqual(['girs', 'ioc', 'ops', 'vedh']);
    expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort())
      .toEqual(['girs-api', 'girs-notify', 'girs-upload', 'ioc-dashboard', 'vedb-olap-bi', 'vedh-etl']);
  });

  test('every object has an explicit name and goes through the one explicit provider', () => {
    for (const o of objects) expect(o.metadata?.name, JSON.stringify(o).slice(0, 80)).toMatch(/^[a-z0-9][-a-z0-9.]*$/);
    const providers = records.filter((r) => r.type.startsWith('pulumi:providers:'));
    expect(providers.map((p) => p.name)).toEqual(['coc-k8s']);
    for (const r of records.filter((x) => x.type.startsWith('kubernetes:'))) expect(r.provider, r.name).toContain('coc-k8s');
    const logical = records.map((r) => `${r.type}/${r.name}`);
    expect(new Set(logical).size).toBe(logical.length);
  });

  test('every object passes the strict schema of the targeted Kubernetes release and kubernetes-models\' required fields', () => {
    expect(validateAll(objects)).toEqual([]);
  });

  test('every object and pod template carries the six recommended app.kubernetes.io labels; Pulumi manages them', () => {
    const six = ['name', 'instance', 'version', 'component', 'part-of', 'managed-by'].map((k) => `app.kubernetes.io/${k}`);
    const labelled = [...objects.map((o) => [o, o.metadata.labels]), ...objects.filter((o) => o.spec?.template).map((o) => [o, o.spec.template.metadata.labels])];
    for (const [o, labels] of labelled) {
      expect(Object.keys(labels ?? {}), `${o.kind} ${o.metadata.name}`).toEqual(expect.arrayContaining(six));
      expect(labels['app.kubernetes.io/managed-by']).toBe('pulumi');
      expect(labels['app.kubernetes.io/part-of']).toBe('coc');
      expect(labels['app.kubernetes.io/version']).toBe(settings.imageTag);
      expect(labels['app.kubernetes.io/instance']).toBe(`${labels['app.kubernetes.io/name']}-oog-option2-p2`);
    }
    const olap = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'vedb-olap-bi')!;
    expect(olap.metadata.labels['app.kubernetes.io/component']).toBe('olap-bi');
  });

  test('rendered YAML (for kubectl apply) says kubectl manages it, everywhere, and selectors are untouched', () => {
    const rendered = toManifests(objects) as Record<string, any>[];
    const text = JSON.stringify(rendered);
    expect(text).not.toContain('"app.kubernetes.io/managed-by":"pulumi"');
    for (const o of rendered) expect(o.metadata.labels['app.kubernetes.io/managed-by'], `${o.kind} ${o.metadata.name}`).toBe(RENDERED_MANAGED_BY);
    const d = rendered.find((o) => o.kind === 'Deployment')!;
    expect(d.spec.template.metadata.labels['app.kubernetes.io/managed-by']).toBe('kubectl');
    expect(Object.keys(d.spec.selector.matchLabels)).toEqual(['app.kubernetes.io/name']);
    expect(validateAll(rendered)).toEqual([]);
  });

  test('every policy passes on the program output', () => {
    expect(checkPolicies(objects, policyContext(view))).toEqual([]);
  });

  test('the TestRun runs the bundle from its ConfigMap in parallel runner pods', () => {
    const run = objects.find((o) => o.kind === 'TestRun')!;
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === run.spec.script.configMap.name)!;
    expect(run.apiVersion).toBe('k6.io/v1alpha1');
    expect(Object.keys(cm.data)).toContain(run.spec.script.configMap.file);
    expect(run.spec.parallelism).toBeGreaterThanOrEqual(1);
    expect(run.spec.runner.env.find((e: any) => e.name === 'GIRS_URL').value).toBe('https://upload.coc.oog.gov.vn');
    // Each runner holds itself to its share of the whole test's floors (k6 execution segments).
    expect(run.spec.runner.env.find((e: any) => e.name === 'GIRS_SHARE').value).toBe(`1/${run.spec.parallelism}`);
  });

  test('the Ingress TLS secret comes from config and no key material is rendered', () => {
    for (const i of objects.filter((o) => o.kind === 'Ingress')) expect(i.spec.tls[0].secretName).toBe(settings.tlsSecretName);
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(JSON.stringify(objects)).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
  });
});
