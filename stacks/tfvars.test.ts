import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACKS } from './site-stack.ts';
import { synthTemp, type Synthesized } from './test-support.ts';
import { tfvarsExample } from './tfvars.ts';

let synth: Synthesized;
beforeAll(() => { synth = synthTemp(); });
afterAll(() => synth?.cleanup());

describe('terraform.tfvars.example per stack', () => {
  it.each(STACKS.map((s) => s.stack))('%s: the committed example is the generated one', async (stack) => {
    await expect(tfvarsExample(stack, synth.stacks.get(stack)!)).toMatchFileSnapshot(`tfvars/${stack}.tfvars.example`);
  });

  it('names every variable, gives no sensitive one a value', () => {
    for (const { stack } of STACKS) {
      const tf = synth.stacks.get(stack)!;
      const text = readFileSync(new URL(`tfvars/${stack}.tfvars.example`, import.meta.url), 'utf8');
      for (const [name, v] of Object.entries<any>(tf.variable ?? {})) {
        const assigned = new RegExp(`^${name}\\s*=`, 'm').test(text);
        expect(assigned, `${stack} ${name}`).toBe(!v.sensitive);
        expect(text).toContain(v.sensitive ? `TF_VAR_${name}` : `${name} =`);
      }
    }
  });
});
