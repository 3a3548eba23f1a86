// The report's published figures for every row of Tables 35–41, typed here from the report
// independently of the YAML, and checked against what the loader derives from the YAML.
import { describe, expect, it } from 'vitest';
import { loadInventory, siteView, type RowView } from './index.ts';

type Row = [source: string, name: string, qty: number, cores?: number | string, vcpu?: number, ramGB?: number, diskGB?: number];

// [source, name, quantity, CPU cores, virtual CPU, RAM GB, disk GB] exactly as printed.
const TABLE_35: Row[] = [
  ['Table 35 #1', 'Virtual Platform A', 2, 16, undefined, 512],
  ['Table 35 #2', 'WEB', 1, undefined, 4, 128],
  ['Table 35 #3', 'AP', 1, undefined, 4, 128],
  ['Table 35 #8', 'Virtual Platform B', 2, 16, undefined, 256],
  ['Table 35 #9', 'Operation Management', 2, undefined, 8, 128],
  ['Table 35 #10', 'Security Management', 2, undefined, 4, 48],
  ['Table 35 #11', 'LDAP/NTP', 1, undefined, 1, 12],
  ['Table 35 #12', 'DNS', 1, undefined, 1, 12],
  ['Table 35 #13', 'DB', 2, 16, undefined, 512, 600],
  ['Table 35 #14', 'Virtualization Management', 2, 8, undefined, 64, 600],
  ['Table 35 #15', 'Storage Device', 1],
  ['Table 35 #16', 'Firewall/Load Balancer/IPS', 2],
  ['Table 35 #17', 'Layer 2 Switch', 12],
  ['Table 35 #18', 'Layer 3 Switch', 4],
  ['Table 35 #19', 'FC Switch', 2],
  ['Table 35 #20', 'Security Sensor', 1],
  ['Table 35 #21', 'Operation Management PC', 2, 'Core i5', 8, 8],
];
const TABLE_37: Row[] = [
  ['Table 37 #1', 'Virtual Platform A', 2, 36, undefined, 1800],
  ['Table 37 #2', 'WEB', 1, undefined, 4, 128],
  ['Table 37 #3', 'AP', 1, undefined, 4, 128],
  ['Table 37 #4', 'ETL', 1, undefined, 2, 64],
  ['Table 37 #5', 'OLAP/BI', 1, undefined, 2, 64],
  ['Table 37 #6', 'Web (IOC)', 1, undefined, 2, 64],
  ['Table 37 #7', 'Hadoop', 1, undefined, 2, 64],
  ['Table 37 #8', 'Virtual Platform B', 2, 36, undefined, 1800],
  ['Table 37 #9', 'Operation Management', 2, undefined, 8, 128],
  ['Table 37 #10', 'Security Management', 2, undefined, 4, 48],
  ['Table 37 #11', 'LDAP/NTP', 1, undefined, 1, 12],
  ['Table 37 #12', 'DNS', 1, undefined, 1, 12],
  ['Table 37 #13', 'DB', 3, 24, undefined, 768, 900],
  ['Table 37 #14', 'Virtualization Management', 2, 8, undefined, 64, 600],
  ['Table 37 #15', 'Storage Device', 1],
  ['Table 37 #16', 'Firewall/Load Balancer/IPS', 2],
  ['Table 37 #17', 'Layer 2 Switch', 12],
  ['Table 37 #18', 'Layer 3 Switch', 4],
  ['Table 37 #19', 'FC Switch', 2],
  ['Table 37 #20', 'Security Sensor', 1],
  ['Table 37 #21', 'Operation Management PC', 2, 'Core i5', 8, 8],
];
const TABLE_38: Row[] = [
  ['Table 38 #1', 'Display Control', 4, 16, undefined, 384, 1200],
  ['Table 38 #2', 'Displays (55inches)', 12],
  ['Table 38 #3', 'Video multiplexer', 12],
  ['Table 38 #4', 'Firewall / Load Balancer / IPS', 2],
  ['Table 38 #5', 'Layer 2 Switch', 6],
  ['Table 38 #6', 'Layer 3 Switch', 2],
  ['Table 38 #7', 'Security Sensor', 1],
  ['Table 38 #8', 'PC for OOG Staffs', 3, 'Core i5', undefined, 8],
  ['Table 38 #9', 'PC for OOG Staffs', 3, 'Core i5', undefined, 8],
  ['Table 38 #10', 'Operational management PC', 2, 'Core i5', undefined, 8],
  ['Table 38 #11', 'Entrance Control System', 1],
];
const TABLE_40: Row[] = [
  ['Table 40 #1', 'Front-End', 1, 4, undefined, 32, 300],
  ['Table 40 #2', 'Application', 1, 4, undefined, 32, 300],
  ['Table 40 #3', 'Mail/File Sharing', 1, 4, undefined, 32, 300],
  ['Table 40 #4', 'Database', 1, 4, undefined, 64, 300],
  ['Table 40 #5', 'Operation Management', 1, 4, undefined, 32, 300],
  ['Table 40 #6', 'Security Management', 1, 4, undefined, 32, 300],
  ['Table 40 #7', 'User Management', 1, 4, undefined, 32, 300],
  ['Table 40 #8', 'Storage Device', 1],
  ['Table 40 #9', 'Firewall/ Intrusion Prevention System (IPS) / SSL Accelerator', 2],
  ['Table 40 #10', 'Layer 2 Switch', 4],
  ['Table 40 #11', 'Layer 3 Switch', 2],
  ['Table 40 #12', 'Fiber Channel Switch', 2],
  ['Table 40 #13', 'Security Sensor', 1],
  ['Table 40 #14', 'PCs for CCOP staffs', 2, 'Core i5', undefined, 8],
  ['Table 40 #15', 'Operational management PC', 2, 'Core i5', undefined, 8],
];
// Middleware rows: [source, name].
const MIDDLEWARE_36_39 = [
  'Sever Virtualization', 'Virtual Server Management', 'Relational Database Management System (RDBMS)', 'Database Encryption',
  'Clustering', 'Load balancing', 'Client PC resource management', 'Storage resource management', 'E-mail security management',
  'Client security management', 'Server security management', 'Denial-of-service prevention', 'Biometric authentication management',
  'Access control system (Entry and Exit)',
];
const NOS_36_39 = ['1.1', '1.2', '2.1', '2.2', '3.1', '3.2', '4.1', '4.2', '5.1', '5.2', '5.3', '5.4', '5.5', '5.6'];
const TABLE_41: [string, string][] = [
  ['1.1', 'Relational Database Management System (RDBMS)'], ['1.2', 'Database Encryption'], ['2.1', 'Client PC resource management'],
  ['2.2', 'Storage resource management'], ['3.1', 'E-mail security management'], ['3.2', 'Client security management'],
  ['3.3', 'Server security management'], ['3.4', 'Denial-of-service prevention'], ['3.5', 'Biometric authentication management'],
  ['3.6', 'Access control system (Entry and Exit)'],
];

const inv = loadInventory();
const views = { option1: siteView(inv, 'oog', 'option1'), option2: siteView(inv, 'oog', 'option2'), ccop: siteView(inv, 'ccop') };

function rowsOf(v: { rows: RowView[] }, table: string) {
  const no = (r: RowView) => Number(r.source.split('#')[1]);
  return v.rows.filter((r) => r.table === table).sort((a, b) => no(a) - no(b));
}

describe.each([
  ['Table 35', views.option1, TABLE_35],
  ['Table 37', views.option2, TABLE_37],
  ['Table 38', views.option2, TABLE_38],
  ['Table 40', views.ccop, TABLE_40],
] as const)('%s hardware rows as published', (table, view, expected) => {
  const rows = rowsOf(view, table);
  it('has exactly the published rows, once each', () => {
    expect(rows.map((r) => r.source)).toEqual(expected.map((e) => e[0]));
  });
  it.each(expected)('%s %s ×%i', (source, name, qty, cores, vcpu, ram, disk) => {
    const row = rows.find((r) => r.source === source)!;
    expect(row.name).toBe(name);
    expect(row.quantity).toBe(qty);
    expect(row.published.cpuCores).toBe(cores);
    expect(row.published.vcpu).toBe(vcpu);
    expect(row.published.ramGB).toBe(ram);
    expect(row.published.diskGB).toBe(disk);
    // Published totals stay checkable: per-unit × quantity gives the printed figure back.
    const back = (x: number | string | null) => (typeof x === 'number' && row.basis === 'total' ? x * qty : x);
    if (typeof cores === 'number') expect(back(row.perUnit.cpuCores)).toBe(cores);
    if (ram !== undefined) expect(back(row.perUnit.ramGB)).toBe(ram);
  });
});

describe('per-unit rule', () => {
  it('divides Table 35/37/38 totals by the quantity', () => {
    const vpa2 = views.option2.hosts.filter((h) => h.source === 'Table 37 #1');
    expect(vpa2.map((h) => [h.cpuCores, h.ramGB])).toEqual([[18, 900], [18, 900]]);
    const db1 = views.option1.hosts.filter((h) => h.source === 'Table 35 #13');
    expect(db1.map((h) => [h.cpuCores, h.ramGB, h.diskGB])).toEqual([[8, 256, 300], [8, 256, 300]]);
    const disp = views.option2.hosts.filter((h) => h.role === 'display-control');
    expect(disp).toHaveLength(4);
    expect(disp.every((h) => h.cpuCores === 4 && h.ramGB === 96 && h.diskGB === 300)).toBe(true);
    const ops = views.option2.vms.filter((m) => m.source === 'Table 37 #9');
    expect(ops.map((m) => [m.vcpu, m.ramGB])).toEqual([[4, 64], [4, 64]]);
  });
  it('keeps Table 40 per unit and multiplies for totals', () => {
    const db = views.ccop.rows.find((r) => r.source === 'Table 40 #4')!;
    expect(db.basis).toBe('perUnit');
    expect(db.perUnit.ramGB).toBe(64);
    expect(db.total.ramGB).toBe(64);
    const pcs = views.ccop.rows.find((r) => r.source === 'Table 40 #14')!;
    expect(pcs.total.ramGB).toBe(16);
  });
  it('treats "for each" rows as per unit whatever the table says', () => {
    const pc = views.option1.rows.find((r) => r.source === 'Table 35 #21')!;
    expect(pc.basis).toBe('perUnit');
    expect(pc.perUnit.ramGB).toBe(8);
  });
});

describe('virtual servers and counts', () => {
  it('option 2 has 12 VM instances and option 1 has 8, on the platform the table groups them under', () => {
    expect(views.option2.vms).toHaveLength(12);
    expect(views.option1.vms).toHaveLength(8);
    for (const v of [views.option1, views.option2]) {
      for (const m of v.vms) {
        const no = Number(m.source.split('#')[1]);
        expect(m.platform).toBe(no <= 7 ? 'A' : 'B');
      }
      expect(v.vms.filter((m) => m.role === 'Operation Management').map((m) => m.pairId)).toEqual(['operation-management', 'operation-management']);
    }
  });
  it('CCOP has the 7 servers of Table 40 and no VMs', () => {
    expect(views.ccop.hosts.map((h) => h.source)).toEqual(TABLE_40.slice(0, 7).map((r) => r[0]));
    expect(views.ccop.vms).toEqual([]);
    expect(views.ccop.option).toBeNull();
  });
  it('storage rows carry the published effective capacity', () => {
    expect(views.option1.storage[0]).toMatchObject({ dataTB: 15, osTB: 1.2, diskToDiskCopy: true });
    expect(views.option2.storage[0]).toMatchObject({ dataTB: 45, raid: '1+0' });
    expect(views.ccop.storage[0]).toMatchObject({ dataTB: 6.4, raid: '1+0' });
  });
});

describe('middleware rows', () => {
  it.each([['Table 36', views.option1], ['Table 39', views.option2]] as const)('%s lists the 14 published items', (table, view) => {
    const mw = view.middleware.filter((m) => m.source.startsWith(`${table} #`));
    expect(mw.map((m) => m.source)).toEqual(NOS_36_39.map((n) => `${table} #${n}`));
    expect(mw.map((m) => m.name)).toEqual(MIDDLEWARE_36_39);
  });
  it('Table 41 lists the 10 published items', () => {
    expect(views.ccop.middleware.map((m) => [m.source.split('#')[1], m.name])).toEqual(TABLE_41);
  });
});

describe('Table 34 as published', () => {
  it('keeps the published counts per option', () => {
    expect(views.option1.table34).toMatchObject({ hostServers: 4, virtualServers: 8, dbServers: 2, storageDevices: 1, networkDevices: 18, displays: 0 });
    expect(views.option2.table34).toMatchObject({ hostServers: 4, virtualServers: 12, dbServers: 3, storageDevices: 1, networkDevices: 30, displays: 12 });
  });
});
