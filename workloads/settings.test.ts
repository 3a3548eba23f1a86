// Every stack file is valid and renders a tier that passes validation and every policy.
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadInventory, resolveOption, siteView } from '../inventory/index.ts';
import { fakeBundle } from './fixtures.ts';
import { checkPolicies, policyContext } from './policy.ts';
import { WORKLOADS_DIR, parseSettings, readStackSettings } from './settings.ts';
import { stackName, synthesize } from './synth.ts';
import { validateAll } from './validate.ts';

const stacks = readdirSync(WORKLOADS_DIR).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort();

describe('stack files', () => {
  test('there is one per OOG option and pattern we ship', () => {
    expect(stacks).toEqual(['oog-option1-p2', 'oog-option2-p1', 'oog-option2-p2', 'oog-option2-p3']);
  });

  test.each(stacks)('%s: named after its settings, valid manifests, every policy passes', async (stack) => {
    const settings = readStackSettings(stack);
    expect(stackName(settings)).toBe(stack);
    const { manifests } = await synthesize(settings, { k6: fakeBundle(settings.pattern) });
    expect(validateAll(manifests)).toEqual([]);
    const inv = loadInventory();
    expect(checkPolicies(manifests, policyContext(siteView(inv, settings.site, resolveOption(inv, settings.site, settings.option))))).toEqual([]);
  });

  test('bad settings are refused with the key and what was expected', () => {
    expect(() => parseSettings({ pattern: 4 }, 'Pulumi.x.yaml')).toThrow(/Pulumi\.x\.yaml: coc:pattern/);
    expect(() => parseSettings({ k6: { perPodMBps: -1 } }, 'x')).toThrow(/coc:k6\.perPodMBps: a positive number/);
    expect(() => parseSettings({ tlsSecretName: 'Not A Name' }, 'x')).toThrow(/coc:tlsSecretName/);
    expect(() => parseSettings({ replicas: 3 }, 'x')).toThrow(/replicas/);
  });
});
