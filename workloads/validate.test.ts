// Strict schema validation (the targeted Kubernetes release's OpenAPI models) plus
// kubernetes-models' required-field check, on good and broken objects.
import { describe, expect, test } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1';
import { KUBERNETES_VERSION, strictSchema } from './k8s-schema.ts';
import { validateAll, validateObject } from './validate.ts';

const deployment = () => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'girs-api', namespace: 'girs', labels: { 'app.kubernetes.io/name': 'girs-api' } as Record<string, string> },
  spec: {
    replicas: 2,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'girs-api' } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'girs-api' } },
      spec: { containers: [{ name: 'api', image: 'registry/girs-api:1', resources: { requests: { cpu: '1000m', memory: '512Mi' } } }] },
    },
  } as Record<string, any>,
});

describe('validateObject', () => {
  test(`the schemas are those of Kubernetes ${KUBERNETES_VERSION}, strict at every level`, () => {
    const s = strictSchema('V1Deployment') as { definitions: Record<string, { additionalProperties?: unknown; properties?: Record<string, unknown> }> };
    expect(Object.keys(s.definitions).length).toBeGreaterThan(50);
    for (const d of Object.values(s.definitions)) expect(d.additionalProperties).toBe(false);
    // Fields of recent releases are known (PodSpec.resources: pod-level resources, 1.32+).
    expect(Object.keys(s.definitions.V1PodSpec!.properties!)).toContain('resources');
  });

  test('a correct Deployment passes', () => {
    expect(validateObject(deployment())).toEqual([]);
  });

  test('a misspelled field (replica:) fails, though kubernetes-models alone accepts it', () => {
    const d = deployment();
    d.spec.replica = d.spec.replicas;
    delete d.spec.replicas;
    expect(() => new Deployment(d as never).validate()).not.toThrow();
    expect(validateObject(d)).toEqual(['Deployment girs-api: unknown field spec.replica']);
  });

  test('misspellings deep in the pod template and in arrays are found', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resource = {};
    d.spec.template.spec.containers[0].ports = [{ containerPort: 8443, protocl: 'TCP' }];
    expect(validateObject(d)).toEqual([
      'Deployment girs-api: unknown field spec.template.spec.containers[0].resource',
      'Deployment girs-api: unknown field spec.template.spec.containers[0].ports[0].protocl',
    ]);
  });

  test('free-form maps (labels) are not unknown fields', () => {
    const d = deployment();
    d.metadata.labels['coc.gov.vn/anything'] = 'x';
    expect(validateObject(d)).toEqual([]);
  });

  test('a wrong type fails', () => {
    const d = deployment();
    d.spec.replicas = 'two';
    expect(validateObject(d)).toContain('Deployment girs-api: spec.replicas: must be integer');
    const e = deployment();
    e.spec.template.spec.containers[0].ports = [{ containerPort: '8443' }];
    expect(validateObject(e)).toContain('Deployment girs-api: spec.template.spec.containers[0].ports[0].containerPort: must be integer');
  });

  test('a missing required field fails', () => {
    const d = deployment();
    delete d.spec.selector;
    expect(validateObject(d).join('\n')).toMatch(/selector/);
  });

  test('TestRun: the CRD fields pass, a typo fails', () => {
    const run = { apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', metadata: { name: 'girs-load-p2', namespace: 'ops' }, spec: { parallelism: 2, script: { configMap: { name: 'k6', file: 'girs-p2.js' } } } as Record<string, any> };
    expect(validateObject(run)).toEqual([]);
    run.spec.paralelism = 3;
    expect(validateObject(run).join('\n')).toMatch(/paralelism/);
  });

  test('an object of a kind without a schema is reported', () => {
    expect(validateAll([{ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } }])).toEqual(['Widget w: no schema for v1 Widget']);
  });
});
