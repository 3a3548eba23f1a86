// The component structure of the program under Pulumi mocks: every Kubernetes object is a
// child of the component of its namespace, tier or load test (the parent type is part of
// the child's URN), and each component registers its outputs.
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, test, vi } from 'vitest';
import { recordingMocks, settled, type Recorded } from './mocks.ts';

const records: Recorded[] = [];
await pulumi.runtime.setMocks(recordingMocks(records), 'coc', 'oog-option2-p2', false);
// Spy before any component exists: each component's explicit registerOutputs call is recorded.
const registered = new Map<pulumi.Resource, unknown>();
const original = pulumi.ComponentResource.prototype['registerOutputs'];
vi.spyOn(pulumi.ComponentResource.prototype as any, 'registerOutputs').mockImplementation(function (this: pulumi.ComponentResource, outputs?: unknown) {
  if (!registered.has(this)) registered.set(this, outputs);
  return original.call(this, outputs as pulumi.Inputs);
});
const { defineWorkloads } = await import('./program.ts');
const { APPLICATION_TIER_TYPE, LOAD_TEST_TYPE, TIER_NAMESPACE_TYPE } = await import('./tier.ts');
const { parseSettings } = await import('./settings.ts');
const { sizeWorkloads } = await import('./sizing-link.ts');
const { fakeBundle, oogView } = await import('./fixtures.ts');

const settings = parseSettings({ option: '2', pattern: 2 }, 'test');
const program = defineWorkloads({ settings, view: oogView('2'), sizing: sizeWorkloads(settings, 'oog', 'option2'), k6: fakeBundle(2) });
const components: pulumi.ComponentResource[] = [...program.namespaces.values(), ...program.tiers, program.loadTest];
await settled([...program.resources, ...components]);
const resolved = <T>(v: pulumi.Input<T>) => new Promise<T>((resolve) => { pulumi.output(v).apply((x) => { resolve(x as T); }); });
const urn = (r: pulumi.Resource) => new Promise<string>((resolve) => { r.urn.apply(resolve); });
/** `urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>` → the type chain. */
const typeChain = (u: string) => u.split('::')[2]!.split('$');

describe('workload components (oog option 2, Pattern 2)', () => {
  test('one ApplicationTier per application tier, named after its workload', async () => {
    expect(program.tiers.map((t) => t.constructor.name)).toEqual(program.tiers.map(() => 'ApplicationTier'));
    const names = await Promise.all(program.tiers.map(async (t) => (await urn(t)).split('::').at(-1)));
    expect(names.sort()).toEqual(['girs-api', 'girs-notify', 'girs-upload', 'ioc-dashboard', 'vedb-olap-bi', 'vedh-etl']);
    for (const t of program.tiers) expect(typeChain(await urn(t))).toEqual([APPLICATION_TIER_TYPE]);
    expect(typeChain(await urn(program.loadTest))).toEqual([LOAD_TEST_TYPE]);
    for (const n of program.namespaces.values()) expect(typeChain(await urn(n))).toEqual([TIER_NAMESPACE_TYPE]);
  });

  test("each tier's objects have its component as parent", async () => {
    for (const c of components) {
      const children = (c as unknown as { resources: pulumi.CustomResource[] }).resources;
      expect(children.length).toBeGreaterThan(0);
      const parentUrn = await urn(c);
      const parentType = typeChain(parentUrn)[0];
      for (const r of children) {
        const u = await urn(r);
        expect(typeChain(u)[0], u).toBe(parentType);
        // The SDK keeps the parent it was given; the URN alone names only its type.
        expect((r as unknown as { __parentResource: unknown }).__parentResource, u).toBe(c);
      }
    }
  });

  test('every Kubernetes object belongs to a component; only the provider sits at the stack root', async () => {
    const owned = new Set(components.flatMap((c) => (c as unknown as { resources: pulumi.Resource[] }).resources));
    const roots = program.resources.filter((r) => !owned.has(r));
    expect(await Promise.all(roots.map(urn))).toEqual([expect.stringMatching(/::pulumi:providers:kubernetes::coc-k8s$/)]);
    // Mocks record components too; their types are ours, not Kubernetes kinds, so render drops them.
    const types = new Set(records.map((r) => r.type));
    for (const t of [APPLICATION_TIER_TYPE, LOAD_TEST_TYPE, TIER_NAMESPACE_TYPE]) expect(types).toContain(t);
  });

  test('each component registers its outputs', async () => {
    for (const c of components) expect(Object.keys(registered.get(c) as object).length, String(await urn(c))).toBeGreaterThan(0);
    const upload = program.tiers.find((t) => t.ingress)!;
    const out = registered.get(upload) as Record<string, pulumi.Input<string>>;
    expect(out.host).toMatch(/\./);
    expect(await resolved(out.deployment)).toBe('girs-upload');
    const lt = registered.get(program.loadTest) as Record<string, pulumi.Input<string>>;
    expect(await resolved(lt.testRun)).toBe('girs-load-p2');
  });
});
