// The inventory schema: one zod definition gives the TypeScript types, the runtime
// validation (with file:line:col errors, see validate.ts) and inventory.schema.json
// for editors. Report facts live under `published` with a `source` (table and row);
// everything the report leaves implicit lives under `assumed` (kind: assumption + reason).
import { z } from 'zod';
import { positive } from './zod-helpers.ts';

const count = z.number({ error: 'a positive whole number' }).int({ error: 'a positive whole number' }).positive({ error: 'a positive whole number' });
const name = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case name (letters, digits, "-")');
const ipv4 = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, 'an IPv4 address');
const cidr = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/, 'an IPv4 CIDR such as 10.20.110.0/24');
/** A table row reference, e.g. `Table 37 #13` or, for middleware, `Table 39 #5.3`. */
export const rowRef = z.string().regex(/^Table \d+ #\d+(\.\d+)?$/, 'a row reference such as "Table 37 #13"');

/** Marks a block as ours: the report does not say it. */
const assumption = {
  kind: z.literal('assumption'),
  reason: z.string().min(10, 'a one-line reason (at least 10 characters)'),
};

// ---------------------------------------------------------------- tables.yaml
export const TableSchema = z.strictObject({
  table: z.string().regex(/^Table \d+$/, 'a table name such as "Table 35"'),
  title: z.string(),
  site: name,
  option: name,
  /** How the table states specifications: `total` for a row of several units, `perUnit` for each. */
  basis: z.enum(['total', 'perUnit', 'none']),
  rows: z.array(z.string().regex(/^\d+(\.\d+)?$/, 'a row number such as "13" or "5.3"')).min(1),
});
export const TablesFileSchema = z.strictObject({
  tables: z.array(TableSchema).min(1),
});

// ---------------------------------------------------------------- site files
export const RoleSchema = z.enum([
  'platform', 'db', 'virt-mgmt', 'display-control', 'server',
  'storage', 'firewall', 'l2-switch', 'l3-switch', 'fc-switch', 'security-sensor',
  'pc', 'display', 'video-multiplexer', 'entrance-control',
]);
export type Role = z.infer<typeof RoleSchema>;
export const SERVER_ROLES: readonly Role[] = ['platform', 'db', 'virt-mgmt', 'display-control', 'server'];

export const PublishedSchema = z.strictObject({
  /** "CPU Cores": a number, or a CPU class such as "Core i5" for PCs. */
  cpuCores: z.union([positive, z.string()]).optional(),
  vcpu: positive.optional(),
  ramGB: positive.optional(),
  diskGB: positive.optional(),
  /** "Hard-Drive (GB) and other specs" when it is text, verbatim. */
  specs: z.string().optional(),
  /** Ports of each network device ("24 ports for each"). */
  portsEach: count.optional(),
  /** The storage row's figures, structured from its specs text. */
  storage: z.strictObject({
    dataTB: positive,
    osTB: positive.optional(),
    raid: z.string(),
    diskType: z.string(),
    diskToDiskCopy: z.boolean(),
    hotSpare: z.boolean(),
    fcGbps: z.array(positive).min(1),
  }).optional(),
});
export type Published = z.infer<typeof PublishedSchema>;

export const UnitSchema = z.strictObject({
  name,
  rack: z.string().optional(),
  ru: z.number().int().min(1).max(48).optional(),
  location: z.enum(['server-room', 'ioc-room', 'ops-room', 'office']).optional(),
  zone: name.optional(),
  ip: ipv4.optional(),
});
export type Unit = z.infer<typeof UnitSchema>;

export const HardwareRowSchema = z.strictObject({
  source: rowRef,
  name: z.string(),
  category: z.string(),
  role: RoleSchema,
  platform: z.enum(['A', 'B']).optional(),
  quantity: count,
  published: PublishedSchema,
  note: z.string().optional(),
  assumed: z.strictObject({
    ...assumption,
    deviceClass: name,
    units: z.array(UnitSchema).min(1),
  }),
});
export type HardwareRow = z.infer<typeof HardwareRowSchema>;

export const SubsystemSchema = z.enum(['girs', 'vedh', 'ioc', 'ops', 'security']);
export type Subsystem = z.infer<typeof SubsystemSchema>;

export const VmRowSchema = z.strictObject({
  source: rowRef,
  name: z.string(),
  platform: z.enum(['A', 'B']),
  /** The number in parentheses: (2) is a redundant pair. */
  count,
  published: z.strictObject({ vcpu: positive, ramGB: positive }),
  assumed: z.strictObject({
    ...assumption,
    subsystem: SubsystemSchema,
    zone: name,
    diskGB: positive,
    /** Ports the VM serves to other zones (firewall rules and Kubernetes Services). */
    ports: z.array(z.number().int().min(1).max(65535)).default([]),
    ha: z.strictObject({ required: z.boolean(), reason: z.string().min(10) }),
    instances: z.array(z.strictObject({ name, node: name, ip: ipv4 })).min(1),
  }),
});
export type VmRow = z.infer<typeof VmRowSchema>;

export const MiddlewareRowSchema = z.strictObject({
  source: rowRef,
  category: z.string(),
  name: z.string(),
  assumed: z.strictObject({ ...assumption, product: z.string() }),
});
export type MiddlewareRow = z.infer<typeof MiddlewareRowSchema>;

const countsShape = {
  hostServers: z.number().int().nonnegative().nullable(),
  virtualServers: z.number().int().nonnegative().nullable(),
  dbServers: z.number().int().nonnegative().nullable(),
  storageDevices: z.number().int().nonnegative().nullable(),
  networkDevices: z.number().int().nonnegative().nullable(),
  displays: z.number().int().nonnegative().nullable(),
};
export const Table34Schema = z.strictObject({ source: z.string().regex(/^Table 34 /), ...countsShape });
export type Table34 = z.infer<typeof Table34Schema>;

export const DeploymentSchema = z.strictObject({
  title: z.string(),
  tables: z.array(z.string().regex(/^Table \d+$/)).min(1),
  /** Table 34's published counts for this option, where the report has them. */
  table34: Table34Schema.optional(),
  hardware: z.array(HardwareRowSchema).min(1),
  vms: z.array(VmRowSchema).default([]),
  middleware: z.array(MiddlewareRowSchema).default([]),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

export const RackSchema = z.strictObject({ name: z.string(), room: z.enum(['server-room', 'ioc-room']), units: count, ...assumption });
export const RoomSchema = z.strictObject({ name: z.enum(['server-room', 'ioc-room']), maxRacks: count.nullable(), source: z.string() });
export const ZoneSchema = z.strictObject({
  name, vlan: z.number().int().min(1).max(4094), cidr, gateway: ipv4, purpose: z.string(), ...assumption,
});
export type Zone = z.infer<typeof ZoneSchema>;
export const FlowSchema = z.strictObject({
  from: name, to: name, ports: z.array(z.number().int().min(1).max(65535)).min(1), purpose: z.string(), ...assumption,
});
export type Flow = z.infer<typeof FlowSchema>;
export const DeviceClassSchema = z.strictObject({ name, ru: z.number().int().nonnegative(), powerW: positive, ...assumption });
export type DeviceClass = z.infer<typeof DeviceClassSchema>;
export const SettingsSchema = z.strictObject({
  ...assumption,
  domain: z.string(),
  ntp: z.array(name).min(1),
  dns: z.array(name).min(1),
  ldap: z.array(name),
  logShipping: z.array(name),
  /** Mail gateway(s) the application tier hands notifications to (Table 16 e-mail/SMS). */
  mailRelay: z.array(name).default([]),
});
const calendar = z.string().min(1, 'a calendar event, e.g. "sat 03:00"');
const pbsId = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'a Proxmox Backup Server ID (letters, digits, "._-")');
/** Proxmox Backup Server jobs: what the provider cannot manage, configured by ansible-bridge. */
export const PbsSchema = z.strictObject({
  /** The first server receives the Proxmox VE backups; the others pull a copy from it. */
  servers: z.array(name).min(1),
  datastore: pbsId,
  path: z.string().regex(/^\/[^\s]*$/, 'an absolute path'),
  /** PBS user the Proxmox VE clusters back up as (user@realm). */
  user: z.string().regex(/^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$/, 'user@realm'),
  prune: z.strictObject({ schedule: calendar }),
  verify: z.strictObject({ schedule: calendar, outdatedAfterDays: count }),
  replicaSync: z.strictObject({ schedule: calendar }),
  offsite: z.strictObject({ remote: pbsId, store: pbsId, schedule: calendar }),
});
export type Pbs = z.infer<typeof PbsSchema>;
export const BackupSchema = z.strictObject({
  ...assumption,
  schedule: z.string(),
  retention: z.strictObject({ daily: count, weekly: count, monthly: count }),
  target: z.string(),
  offsite: z.string(),
  integrityCheck: z.string(),
  pbs: PbsSchema.optional(),
});
export const HypervisorSchema = z.strictObject({
  ...assumption,
  product: z.string(),
  hostReserveGB: positive,
  reservePerStorageTBGB: positive,
  vcpuPerCoreCeiling: positive,
  quorumDevice: z.string().optional(),
});

export const SiteFileSchema = z.strictObject({
  site: name,
  title: z.string(),
  rooms: z.array(RoomSchema).min(1),
  racks: z.array(RackSchema).min(1),
  zones: z.array(ZoneSchema).min(1),
  flows: z.array(FlowSchema).default([]),
  deviceClasses: z.array(DeviceClassSchema).min(1),
  settings: SettingsSchema,
  backup: BackupSchema,
  hypervisor: HypervisorSchema.optional(),
  options: z.record(name, DeploymentSchema),
});
export type SiteFile = z.infer<typeof SiteFileSchema>;
export type TablesFile = z.infer<typeof TablesFileSchema>;
