// Checks that span rows and files: every table row exactly once, references that resolve,
// unique names and addresses, quantities that match the units listed, rack space.
import type { SiteFile, TablesFile } from './schema.ts';
import type { InventoryIssue, PathKey, SourceFile } from './validate.ts';

export function inCidr(ip: string, cidr: string): boolean {
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const [net, bits] = cidr.split('/') as [string, string];
  const block = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / block) === Math.floor(toInt(net) / block);
}

export function checkSite(site: SiteFile, src: SourceFile, tables: TablesFile, tablesSrc: SourceFile): InventoryIssue[] {
  const issues: InventoryIssue[] = [];
  const at = (path: PathKey[], msg: string, key = false) => issues.push(src.issue(path, msg, key));

  const zones = new Map(site.zones.map((z) => [z.name, z]));
  const racks = new Map(site.racks.map((r) => [r.name, r]));
  const classes = new Map(site.deviceClasses.map((c) => [c.name, c]));
  const rooms = new Set(site.rooms.map((r) => r.name));
  site.racks.forEach((r, i) => { if (!rooms.has(r.room)) at(['racks', i, 'room'], `unknown room "${r.room}"; expected one of ${[...rooms].join(', ')}`); });
  site.flows.forEach((f, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!zones.has(f[end])) at(['flows', i, end], `unknown zone "${f[end]}"; expected one of ${[...zones.keys()].join(', ')}`);
    }
  });
  const seenVlan = new Map<number, number>();
  site.zones.forEach((z, i) => {
    if (seenVlan.has(z.vlan)) at(['zones', i, 'vlan'], `VLAN ${z.vlan} is used by zone "${site.zones[seenVlan.get(z.vlan)!]!.name}" too; expected a VLAN per zone`);
    seenVlan.set(z.vlan, i);
    if (!inCidr(z.gateway, z.cidr)) at(['zones', i, 'gateway'], `gateway ${z.gateway} is outside ${z.cidr}`);
  });

  // Which table rows belong to this site, per option.
  const catalogue = tables.tables.filter((t) => t.site === site.site);
  for (const [opt, dep] of Object.entries(site.options)) {
    const base: PathKey[] = ['options', opt];
    const expected = new Map<string, { table: string }>();
    for (const t of catalogue.filter((t) => t.option === opt)) for (const r of t.rows) expected.set(`${t.table} #${r}`, { table: t.table });
    for (const t of catalogue) {
      if (t.option !== opt && !site.options[t.option]) {
        const ti = tables.tables.indexOf(t);
        issues.push(tablesSrc.issue(['tables', ti, 'option'], `site "${site.site}" has no option "${t.option}"; expected one of ${Object.keys(site.options).join(', ')}`));
      }
    }
    const seen = new Map<string, PathKey[]>();
    const visit = (source: string, path: PathKey[]) => {
      const table = source.split(' #')[0]!;
      if (!dep.tables.includes(table)) at([...path, 'source'], `row of ${table}, which this option does not list in "tables" (${dep.tables.join(', ')})`);
      if (seen.has(source)) at([...path, 'source'], `row "${source}" is listed twice (also at ${src.file}:${src.locate([...seen.get(source)!, 'source']).line})`);
      else if (!expected.has(source)) at([...path, 'source'], `row "${source}" is not a row of the tables of ${site.site}/${opt} in tables.yaml`);
      seen.set(source, path);
    };
    dep.hardware.forEach((r, i) => visit(r.source, [...base, 'hardware', i]));
    dep.vms.forEach((r, i) => visit(r.source, [...base, 'vms', i]));
    dep.middleware.forEach((r, i) => visit(r.source, [...base, 'middleware', i]));
    for (const row of expected.keys()) {
      if (!seen.has(row)) at([...base, 'tables'], `row "${row}" of the report is missing from ${site.site}/${opt}`);
    }

    // Names and addresses are unique within one option (options are alternatives).
    const names = new Map<string, PathKey[]>();
    const ips = new Map<string, PathKey[]>();
    const claim = (map: Map<string, PathKey[]>, value: string, path: PathKey[], what: string) => {
      const prev = map.get(value);
      if (prev) at(path, `duplicate ${what} "${value}" (also at ${src.file}:${src.locate(prev).line})`);
      else map.set(value, path);
    };
    const platformNodes = new Map<string, Set<string>>();
    const rackUse = new Map<string, { lo: number; hi: number; name: string }[]>();
    dep.hardware.forEach((row, i) => {
      const p: PathKey[] = [...base, 'hardware', i];
      if (row.role === 'platform' && !row.platform) at([...p, 'role'], 'a platform row needs `platform: A` or `B`');
      if (row.role !== 'platform' && row.platform) at([...p, 'platform'], `only platform rows take a platform; this row's role is ${row.role}`);
      if (row.assumed.units.length !== row.quantity) {
        at([...p, 'assumed', 'units'], `expected ${row.quantity} unit(s) to match quantity ${row.quantity}, got ${row.assumed.units.length}`);
      }
      const cls = classes.get(row.assumed.deviceClass);
      if (!cls) at([...p, 'assumed', 'deviceClass'], `unknown device class "${row.assumed.deviceClass}"; expected one of ${[...classes.keys()].join(', ')}`);
      if (row.role === 'platform' && row.platform) {
        const set = platformNodes.get(row.platform) ?? new Set<string>();
        row.assumed.units.forEach((u) => set.add(u.name));
        platformNodes.set(row.platform, set);
      }
      row.assumed.units.forEach((u, j) => {
        const up: PathKey[] = [...p, 'assumed', 'units', j];
        claim(names, u.name, [...up, 'name'], 'name');
        if (u.ip) claim(ips, u.ip, [...up, 'ip'], 'address');
        if (u.zone && !zones.has(u.zone)) at([...up, 'zone'], `unknown zone "${u.zone}"; expected one of ${[...zones.keys()].join(', ')}`);
        else if (u.zone && u.ip && !inCidr(u.ip, zones.get(u.zone)!.cidr)) at([...up, 'ip'], `address ${u.ip} is outside zone ${u.zone} (${zones.get(u.zone)!.cidr})`);
        if (u.rack !== undefined || u.ru !== undefined) {
          const rack = u.rack === undefined ? undefined : racks.get(u.rack);
          if (!rack) { at([...up, 'rack'], `unknown rack "${u.rack ?? ''}"; expected one of ${[...racks.keys()].join(', ')}`); return; }
          if (u.ru === undefined) { at(up, 'a racked unit needs `ru` (its lowest rack unit)'); return; }
          const height = Math.max(cls?.ru ?? 1, 1);
          const lo = u.ru, hi = u.ru + height - 1;
          if (hi > rack.units) at([...up, 'ru'], `needs RU ${lo}–${hi} but rack ${rack.name} has ${rack.units} units`);
          const used = rackUse.get(rack.name) ?? [];
          const clash = used.find((x) => lo <= x.hi && x.lo <= hi);
          if (clash) at([...up, 'ru'], `RU ${lo}–${hi} of ${rack.name} overlaps ${clash.name} (RU ${clash.lo}–${clash.hi})`);
          used.push({ lo, hi, name: u.name });
          rackUse.set(rack.name, used);
        } else if ((cls?.ru ?? 0) > 0) {
          at(up, `device class ${row.assumed.deviceClass} takes ${cls!.ru} RU; expected a rack and ru for ${u.name}`);
        }
      });
    });
    dep.vms.forEach((row, i) => {
      const p: PathKey[] = [...base, 'vms', i];
      const nodes = platformNodes.get(row.platform);
      if (!nodes) at([...p, 'platform'], `unknown platform "${row.platform}": no Virtual Platform ${row.platform} row in ${site.site}/${opt}`);
      if (row.assumed.instances.length !== row.count) {
        at([...p, 'assumed', 'instances'], `expected ${row.count} instance(s) to match count (${row.count}), got ${row.assumed.instances.length}`);
      }
      const zone = zones.get(row.assumed.zone);
      if (!zone) at([...p, 'assumed', 'zone'], `unknown zone "${row.assumed.zone}"; expected one of ${[...zones.keys()].join(', ')}`);
      const used = new Set<string>();
      row.assumed.instances.forEach((inst, j) => {
        const ip: PathKey[] = [...p, 'assumed', 'instances', j];
        claim(names, inst.name, [...ip, 'name'], 'name');
        claim(ips, inst.ip, [...ip, 'ip'], 'address');
        if (zone && !inCidr(inst.ip, zone.cidr)) at([...ip, 'ip'], `address ${inst.ip} is outside zone ${zone.name} (${zone.cidr})`);
        if (nodes && !nodes.has(inst.node)) at([...ip, 'node'], `unknown node "${inst.node}" for platform ${row.platform}; expected one of ${[...nodes].join(', ')}`);
        if (row.count > 1 && used.has(inst.node)) at([...ip, 'node'], `redundant pair member on the same node "${inst.node}" as its twin; expected different nodes`);
        used.add(inst.node);
      });
    });
    // Site-wide services must name machines that exist in every option.
    for (const key of ['ntp', 'dns', 'ldap', 'logShipping', 'mailRelay'] as const) {
      site.settings[key].forEach((n, i) => {
        if (!names.has(n)) at(['settings', key, i], `unknown machine "${n}" in ${site.site}/${opt}; expected a unit or VM name`);
      });
    }
    site.backup.pbs?.servers.forEach((n, i, all) => {
      if (!names.has(n)) at(['backup', 'pbs', 'servers', i], `unknown machine "${n}" in ${site.site}/${opt}; expected a unit or VM name`);
      if (all.indexOf(n) !== i) at(['backup', 'pbs', 'servers', i], `"${n}" is listed twice; expected distinct backup servers`);
    });
  }
  return issues;
}
