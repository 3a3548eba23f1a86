// Schema and cross-reference errors: each names file:line:col and the path, says what was
// expected and what was found; the CLI exits 2 and lists every error.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInventory, INVENTORY_DIR, formatIssue, loadInventory, InventoryError } from './index.ts';
import { jsonSchemas } from './json-schema.ts';
import { displayPath } from './validate.ts';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

/** A copy of the inventory with one text replacement in one file. */
function mutated(file: string, from: string | RegExp, to: string): { dir: string; path: string; rel: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'coc-inv-'));
  dirs.push(dir);
  for (const f of ['tables.yaml', 'oog.yaml', 'ccop.yaml']) copyFileSync(join(INVENTORY_DIR, f), join(dir, f));
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const text = before.replace(from, to);
  if (from !== to) expect(text, `replacement of ${String(from)} must change ${file}`).not.toBe(before);
  writeFileSync(path, text);
  return { dir, path, rel: displayPath(path), text };
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function pos(text: string, needle: string, offset = 0): string {
  const i = text.indexOf(needle);
  expect(i).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, i + offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

function messages(dir: string): string[] {
  return checkInventory(dir).issues.map(formatIssue);
}

describe('schema errors carry file:line:col', () => {
  it('wrong type', () => {
    const m = mutated('oog.yaml', 'published: {cpuCores: 36, ramGB: 1800}', 'published: {cpuCores: 36, ramGB: "lots"}');
    const at = pos(m.text, '"lots"');
    expect(messages(m.dir)).toContain(`${m.rel}:${at} options.option2.hardware[0].published.ramGB: expected a positive number, got "lots"`);
  });
  it('unknown key', () => {
    const m = mutated('ccop.yaml', 'title: "ODB hardware set (Tables 40–41)"', 'title: "ODB hardware set (Tables 40–41)"\n    colour: red');
    const at = pos(m.text, 'colour:');
    expect(messages(m.dir)).toContain(`${m.rel}:${at} options.odb.colour: unknown key "colour"; remove it or check its spelling`);
  });
  it('missing field', () => {
    const m = mutated('oog.yaml', /\n  domain: coc\.oog\.gov\.vn/, '');
    // A missing key is reported where its mapping starts: the first key under `settings:`.
    const at = pos(m.text, '\nsettings:\n  kind: assumption', '\nsettings:\n  '.length);
    expect(messages(m.dir)).toContain(`${m.rel}:${at} settings.domain: missing required field; expected a string`);
  });
  it('broken YAML syntax', () => {
    const m = mutated('tables.yaml', 'basis: total          # "Assumed Total Specification"', 'basis: [total');
    const msgs = messages(m.dir);
    expect(msgs.length).toBeGreaterThan(0);
    expect(msgs[0]).toMatch(new RegExp(`^${m.rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ YAML syntax: `));
  });
  it('bad number format in a count', () => {
    const m = mutated('ccop.yaml', 'quantity: 4', 'quantity: 2.5');
    const at = pos(m.text, '2.5');
    expect(messages(m.dir)).toContain(`${m.rel}:${at} options.odb.hardware[9].quantity: expected a positive whole number, got 2.5`);
  });
});

describe('cross-reference errors', () => {
  it('VM on an unknown platform', () => {
    const m = mutated('oog.yaml', /(name: "WEB"\n\s+platform: )A/, '$1C');
    const msgs = messages(m.dir);
    expect(msgs.some((x) => /options\.option1\.vms\[0\]\.platform: expected one of "A", "B", got "C"/.test(x))).toBe(true);
  });
  it('VM instance on a node that is not a host of its platform', () => {
    const m = mutated('oog.yaml', '{name: girs-web-01, node: oog-vpa-01', '{name: girs-web-01, node: oog-vpb-01');
    const at = pos(m.text, 'node: oog-vpb-01, ip: 10.20.110.11', 6);
    expect(messages(m.dir)).toContain(`${m.rel}:${at} options.option1.vms[0].assumed.instances[0].node: unknown node "oog-vpb-01" for platform A; expected one of oog-vpa-01, oog-vpa-02`);
  });
  it('duplicate names', () => {
    const m = mutated('ccop.yaml', '{name: ccop-app-01,', '{name: ccop-fe-01,');
    expect(messages(m.dir).some((x) => x.includes('options.odb.hardware[1].assumed.units[0].name: duplicate name "ccop-fe-01"'))).toBe(true);
  });
  it('a source row listed twice and another missing', () => {
    const m = mutated('ccop.yaml', 'source: "Table 40 #3"', 'source: "Table 40 #2"');
    const msgs = messages(m.dir);
    expect(msgs.some((x) => x.includes('options.odb.hardware[2].source: row "Table 40 #2" is listed twice'))).toBe(true);
    expect(msgs.some((x) => x.includes('options.odb.tables: row "Table 40 #3" of the report is missing from ccop/odb'))).toBe(true);
  });
  it('a redundant pair placed on one node', () => {
    const m = mutated('oog.yaml', '{name: ops-mgmt-02, node: oog-vpb-02', '{name: ops-mgmt-02, node: oog-vpb-01');
    expect(messages(m.dir).some((x) => x.includes('instances[1].node: redundant pair member on the same node "oog-vpb-01"'))).toBe(true);
  });
  it('an address outside its zone and overlapping rack units', () => {
    const m = mutated('ccop.yaml', '{name: ccop-fe-01, rack: CCOP-R1, ru: 10, location: server-room, zone: dmz, ip: 10.30.110.11}', '{name: ccop-fe-01, rack: CCOP-R1, ru: 12, location: server-room, zone: dmz, ip: 10.30.120.99}');
    const msgs = messages(m.dir);
    expect(msgs.some((x) => x.includes('address 10.30.120.99 is outside zone dmz (10.30.110.0/24)'))).toBe(true);
    expect(msgs.some((x) => x.includes('RU 12–12 of CCOP-R1 overlaps'))).toBe(true);
  });
  it('backup servers and the mail gateway must name machines of the site', () => {
    const m = mutated('oog.yaml', 'servers: [oog-vmgmt-01, oog-vmgmt-02]', 'servers: [oog-vmgmt-01, oog-vmgmt-01]');
    expect(messages(m.dir)).toContain(`${m.rel}:${pos(m.text, 'oog-vmgmt-01]', 0)} backup.pbs.servers[1]: "oog-vmgmt-01" is listed twice; expected distinct backup servers`);
    const r = mutated('oog.yaml', 'mailRelay: [sec-mgmt-01, sec-mgmt-02]', 'mailRelay: [sec-mgmt-01, mail-99]');
    expect(messages(r.dir)).toContain(`${r.rel}:${pos(r.text, 'mail-99')} settings.mailRelay[1]: unknown machine "mail-99" in oog/option1; expected a unit or VM name`);
  });
  it('a site with no file is reported, but a broken site file does not cascade into it', () => {
    const missing = mutated('ccop.yaml', 'x', 'x');
    rmSync(missing.path);
    const msgs = messages(missing.dir);
    expect(msgs.some((x) => x.includes('no site file defines site "ccop"; expected one of oog'))).toBe(true);

    const broken = mutated('ccop.yaml', /^site: ccop$/m, 'site: ccop\nsettings: 7');
    const brokenMsgs = messages(broken.dir);
    expect(brokenMsgs.length).toBeGreaterThan(0);
    expect(brokenMsgs.every((x) => x.startsWith(broken.rel))).toBe(true);
  });
});

describe('coc inventory CLI', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['bin/coc.mjs', 'inventory', ...args], { encoding: 'utf8' });
  it('validate lists every error and exits 2', () => {
    const m = mutated('oog.yaml', 'published: {cpuCores: 36, ramGB: 1800}', 'published: {cpuCores: -1, ramGB: "lots"}');
    const r = cli(['validate', m.path]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('options.option2.hardware[0].published.cpuCores: expected a positive number, got -1');
    expect(r.stderr).toContain('options.option2.hardware[0].published.ramGB: expected a positive number, got "lots"');
    expect(r.stderr).toMatch(/2 error\(s\)/);
  });
  it('validate names a file that does not exist', () => {
    const r = cli(['validate', 'inventory/nope.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('coc inventory validate: no such file: inventory/nope.yaml; expected site files such as inventory/oog.yaml');
  });
  it('validate passes on the shipped inventory', () => {
    const r = cli(['validate']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  it('show --json lists one entry per VM instance', () => {
    const counts = [['oog', '2', 12], ['oog', '1', 8]] as const;
    for (const [site, opt, n] of counts) {
      const r = cli(['show', '--site', site, '--option', opt, '--json']);
      expect(r.status).toBe(0);
      const v = JSON.parse(r.stdout);
      expect(v).toMatchObject({ site, option: `option${opt}` });
      expect(v.vms).toHaveLength(n);
      expect(Object.keys(v.vms[0])).toEqual(expect.arrayContaining(['name', 'vcpu', 'ramGB', 'platform', 'source']));
      for (const k of ['hosts', 'devices', 'middleware']) expect(Array.isArray(v[k])).toBe(true);
    }
    const c = JSON.parse(cli(['show', '--site', 'ccop', '--json']).stdout);
    expect(c.hosts).toHaveLength(7);
    expect(c.vms).toHaveLength(0);
  });
  it('bad flags exit 2 with a message', () => {
    const r = cli(['show', '--site', 'oog', '--option', '3']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('site "oog" has no option "3"; expected one of option1, option2');
    const u = cli(['show', '--site', 'oog', '--colour']);
    expect(u.status).toBe(2);
    expect(u.stderr).toContain("Unknown option '--colour'");
  });
});

describe('JSON Schema files', () => {
  it('match the zod schema (run `npm run inventory -- schema` after changing it)', () => {
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      expect(JSON.parse(readFileSync(join(INVENTORY_DIR, name), 'utf8'))).toEqual(schema);
    }
  });
});

describe('validated-inventory cache', () => {
  it('never hides an error introduced after a valid load', () => {
    const m = mutated('ccop.yaml', 'quantity: 4', 'quantity: 4');
    expect(loadInventory(m.dir).sites.ccop).toBeDefined();
    expect(loadInventory(m.dir).sites.ccop).toBeDefined(); // served from the cache
    writeFileSync(m.path, m.text.replace('quantity: 4', 'quantity: 5'));
    expect(() => loadInventory(m.dir)).toThrow(InventoryError);
    expect(() => loadInventory(m.dir)).toThrow(/expected 5 unit\(s\) to match quantity 5, got 4/);
  });
});
