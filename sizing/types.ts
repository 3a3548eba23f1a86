// Every type of the sizing model, and nothing else: the pure core (chain, findings,
// capacity, model) and the edge (data.ts, cli.ts) import from here, never from index.ts.
import type { DemandFile } from '../inventory/index.ts';
export type { Overrides } from './overrides.ts';

export type PatternId = 1 | 2 | 3;
export const PATTERNS: readonly PatternId[] = [1, 2, 3];

/** The six rows of Table 19. MB = 10^6 bytes, Mbps = 10^6 bit/s. */
export interface Figures {
  reportsPerYear: number;
  reportsPerDay: number;
  reportsPerHour: number;
  reportsPerSecond: number;
  dataMBps: number;
  networkMbps: number;
}
export const FIGURE_KEYS: readonly (keyof Figures)[] = ['reportsPerYear', 'reportsPerDay', 'reportsPerHour', 'reportsPerSecond', 'dataMBps', 'networkMbps'];

/** Row labels as Table 19 prints them. */
export const FIGURE_LABELS: Record<keyof Figures, string> = {
  reportsPerYear: 'The number of reports',
  reportsPerDay: 'The number of reports per day',
  reportsPerHour: 'The number of reports per an hour',
  reportsPerSecond: 'The number of reports per one second',
  dataMBps: 'Data volume at one second (MB)',
  networkMbps: 'Network transaction volume (Mbps)',
};

export interface Assumption {
  name: string;
  value: number | string;
  unit: string;
  source: string;
  /** stated: the report says it; inferred: implied by the published figures only; project: ours. */
  kind: 'stated' | 'inferred' | 'project';
}

export interface Finding {
  severity: 'info' | 'warning';
  message: string;
  figure?: keyof Figures;
  /** Table 19's figure. */
  published?: number;
  /** What the consistent method gives, rounded as the report rounds. */
  consistent?: number;
}

/** A link at the site's uplink/firewall and how much of it the peak takes. */
export interface LinkLoad { gbps: number; utilisation: number; fits: boolean }

/** The GIRS web/AP tier at peak as an M/M/c queue (Erlang C). */
export interface QueueLoad {
  model: 'M/M/c';
  arrivalsPerSecond: number;
  /** Reports per second one server (VM) completes: per-core rate × cores. */
  serviceRatePerServer: number;
  coresPerServer: number;
  /** Offered load in Erlangs (arrivals / service rate). */
  offeredLoad: number;
  targetUtilisation: number;
  serversNeeded: number;
  utilisation: number;
  probabilityOfWaiting: number;
  meanWaitSeconds: number;
  /** AP VMs the option's inventory provides (Tables 36/39), and how they would fare. */
  inventoryServers: number;
  inventoryUtilisation: number;
  inventoryStable: boolean;
}

export interface OptionCapacity {
  site: string;
  option: string;
  title: string;
  storage: {
    effectiveTB: number;
    sources: string[];
    /** Reports (and, where the option hosts it, the data platform) written per year. */
    growthTBPerYear: number;
    /** null when nothing grows. */
    monthsUntilFull: number | null;
  };
  network: { demandMbps: number; links: LinkLoad[] };
  uploads: { clientUploadMbps: number; secondsPerUpload: number; concurrentAtPeak: number };
  webAp: QueueLoad;
}

export interface DataPlatformLoad {
  systems: number;
  transactionsPerDay: number;
  transactionSizeMB: number;
  MBPerDay: number;
  TBPerYear: number;
  averageTransactionsPerSecond: number;
}

export interface OdbLoad {
  records: { name: string; count: number; recordKB: number; GB: number }[];
  totalGB: number;
  growthGBPerYear: number;
  effectiveTB: number;
  storageSource: string;
  monthsUntilFull: number | null;
  users: number;
  concurrentSessions: number;
}

export interface Capacity {
  intake: { perCoreReportsPerSecond: number; source: string; measured: boolean };
  options: OptionCapacity[];
  dataPlatform: DataPlatformLoad;
  odb: OdbLoad;
}

export interface PatternResult {
  pattern: PatternId;
  title: string;
  /** The model's figures rounded as the report rounds. */
  figures: Figures;
  exact: Figures;
  /** Table 19 as printed, for comparison only. */
  published: Figures;
  assumptions: Assumption[];
  findings: Finding[];
  capacity: Capacity;
}

/** One GIRS deployment option as the capacity model needs it (read from the inventory at the edge). */
export interface GirsOptionData {
  option: string;
  title: string;
  /** Effective data storage of the option (Tables 35/37), with each device's source. */
  storage: { dataTB: number; source: string }[];
  /** vCPUs of each AP VM (Tables 36/39): the servers that ingest reports. */
  apVcpu: number[];
}

/** The lab intake benchmark's measured per-core rate (inventory/measured/intake-calibration.yaml). */
export interface Calibration {
  reportsPerSecond: number;
  mbPerSecond: number;
  cores: number;
  reportSizeMB: number;
  measuredAt: string;
  source: string;
  file: string;
}

/**
 * Everything the model reads, gathered once at the edge (sizing/data.ts) and passed in, so
 * the model itself is pure and runs unchanged in a browser (the planner page embeds this).
 */
export interface SizingData {
  demand: DemandFile;
  /** The site that hosts GIRS (the one whose VMs carry subsystem "girs") and its options. */
  girs: { site: string; options: GirsOptionData[] };
  /** The ODB site's effective storage (Table 40). */
  odbStorage: { dataTB: number; source: string }[];
  calibration: Calibration | null;
}

/** What the GIRS intake must sustain for a pattern: the targets the load tests aim at. */
export interface GirsTargets {
  reportsPerSecond: number;
  reportSizeMB: number;
  dataMBps: number;
  reportsPerDay: number;
  averageReportsPerSecond: number;
}
