// Evidence from the configuration itself: the synthesized stack of the audited view and the
// Ansible roles, through the public evidence functions of stacks/ and ansible-bridge/ (the
// audit sits downstream of both: docs/adr/0012-audit-reads-configuration.md). A control the
// inventory only describes in words, with nothing here implementing it, is "not configured".
import { ansibleControls, readAnsibleConfig, type AnsibleConfig, type ControlEvidence as AnsibleEvidence } from '../../ansible-bridge/evidence.ts';
import { stackControls, synthesizeView, type ControlEvidence as StackEvidence } from '../../stacks/evidence.ts';
import type { TfJson } from '../../stacks/synth.ts';
import type { AuditContext, ConfigSources } from './context.ts';

export type Evidence = StackEvidence | AnsibleEvidence;
export type Control = Evidence['control'];

export type { ConfigSources } from './context.ts';

let ansibleFiles: AnsibleConfig | undefined;
const sourcesCache = new WeakMap<object, ConfigSources>();

/** The sources of the audited view: given in the context, or synthesized once per view. */
export function configSources(ctx: AuditContext): ConfigSources {
  if (ctx.config) return ctx.config;
  let s = sourcesCache.get(ctx.view);
  if (!s) {
    let stack: ConfigSources['stack'];
    try {
      const { stack: name, tf } = synthesizeView(ctx.view);
      stack = { name, tf };
    } catch (e) {
      stack = { error: (e instanceof Error ? e.message : String(e)).split('\n')[0]! };
    }
    s = { stack, ansible: (ansibleFiles ??= readAnsibleConfig()) };
    sourcesCache.set(ctx.view, s);
  }
  return s;
}

export function configEvidence(ctx: AuditContext): Evidence[] {
  const s = configSources(ctx);
  return [...('tf' in s.stack ? stackControls(s.stack.name, s.stack.tf) : []), ...ansibleControls(s.ansible, ctx.view.site)];
}

/**
 * Whether the configuration implements `control` (at least one implementing resource or
 * variable and none lacking it), with one evidence line per citation.
 */
export function configured(ctx: AuditContext, control: Control, what: string): { ok: boolean; evidence: string[] } {
  const ev = configEvidence(ctx).filter((e) => e.control === control);
  const s = configSources(ctx);
  if (!ev.length) {
    const why = 'error' in s.stack ? ` (the stack could not be synthesized: ${s.stack.error})` : '';
    return { ok: false, evidence: [`warn: not configured: ${what}: no synthesized resource, Ansible variable or template implements it${why}`] };
  }
  const bad = ev.filter((e) => !e.ok);
  return {
    ok: bad.length === 0,
    evidence: [
      ...ev.map((e) => `${e.ok ? 'configured' : 'NOT configured'}: ${e.where} — ${e.detail}`),
      ...(bad.length ? [`warn: not configured: ${what}: ${bad.length} of ${ev.length} place(s) lack it`] : []),
    ],
  };
}
