// The requirement catalogue: every hardware-relevant requirement of the survey report with
// an ID, where it is written, a short quote, and the checks that cover it. A requirement
// with no check is listed as `uncovered` by the audit: a bill of materials cannot show it.
export type Site = 'oog' | 'ccop';

export interface Requirement {
  id: string;
  ref: string;
  quote: string;
  sites: Site[];
  /** Check IDs (audit/checks/*) that test it; empty = nothing here checks it. */
  checks: string[];
  /** Why nothing checks it, or what the checks leave out. */
  gap?: string;
}

const SEC_OOG = '§3.5.2 (2)';
const SEC_ODB = '§4.5.3';

export const REQUIREMENTS: readonly Requirement[] = [
  // ---- the bill itself
  { id: 'BOM-TRACE', ref: 'Tables 35–41', quote: 'Recommended Hardware list … Middleware list', sites: ['oog', 'ccop'], checks: ['bom.rows'] },
  { id: 'BOM-TABLE34', ref: 'Table 34', quote: 'The Number of Major Hardware: Web/AP/other servers, DB Server, Storage Devices, Network Devices, Displays in IOC', sites: ['oog'], checks: ['bom.table34'] },
  // ---- Table 16: functions need somewhere to run
  { id: 'T16-GIRS', ref: 'Table 16 #1', quote: 'Report Management Sub-system (GIRS)', sites: ['oog'], checks: ['function.girs'] },
  { id: 'T16-VEDH', ref: 'Table 16 #2', quote: 'Vietnam E-Government Data Hub (VEDH / V-data hub): … ETL … Data Ware House', sites: ['oog'], checks: ['function.vedh'] },
  { id: 'T16-VEAP', ref: 'Table 16 #3', quote: 'Vietnam E-Government Application Platform (VEAP): access to administrative business systems … store retrieved data', sites: ['oog'], checks: ['function.veap'] },
  { id: 'T16-VEDB', ref: 'Table 16 #4', quote: 'Vietnam E-Government Database (VEDB / V-Insight): aggregate and analyze data (… big data / AI)', sites: ['oog'], checks: ['function.vedb'] },
  { id: 'T16-IOC', ref: 'Table 16 #5', quote: 'Government Information Operation Center (IOC): visualize data (Dashboard)', sites: ['oog'], checks: ['function.ioc'] },
  { id: 'T16-VEMCS', ref: 'Table 16 #6', quote: 'VEMCS/V-Eye: manage and monitor the system operation status', sites: ['oog'], checks: ['function.vemcs'] },
  { id: 'T16-SECMGMT', ref: 'Table 16 #7', quote: 'Security Management Sub-System: manage and monitor the security status', sites: ['oog'], checks: ['function.security', 'security.log-shipping'] },
  // ---- §3.5.1 / Table 19 / Table 33: performance and scalability
  { id: 'GIRS-PERF-P2', ref: '§3.5.1 (2), Table 19, Table 33', quote: 'The performance and scalability requirements of pattern 2 as shown in Table 19 should be applied', sites: ['oog'], checks: ['performance.pattern2'] },
  { id: 'GIRS-PERF-P3', ref: 'Table 33', quote: 'it is necessary to endure to a certain extent the case of Pattern 3', sites: ['oog'], checks: ['performance.pattern3'] },
  { id: 'GIRS-PERF-P1', ref: '§3.5.1 (2), Table 19', quote: 'the pattern 1 is unrealistic to treat 38 million reports', sites: ['oog'], checks: ['performance.pattern1'] },
  { id: 'DAMP-PERF', ref: '§3.5.1 (3)', quote: 'there will be 100 transactions for each system every day and each system will send 1 MB in each transaction', sites: ['oog'], checks: ['performance.data-platform'] },
  { id: 'SCALE-EXPANDABLE', ref: 'Table 33', quote: 'Hardware should be deployed efficiently with minimum set, and it should be configured that can be expanded', sites: ['oog'], checks: ['physical.headroom'] },
  // ---- §3.5.2 (1): availability, class 4
  { id: 'AVAIL-HA-SERVERS', ref: '§3.5.2 (1)', quote: 'High Availability (HA) mode servers', sites: ['oog'], checks: ['availability.ha', 'availability.n+1.platform-a', 'availability.n+1.platform-b', 'availability.n+1.db', 'availability.vcpu-ratio', 'availability.quorum'] },
  { id: 'AVAIL-DR-1P1', ref: '§3.5.2 (1)', quote: 'Disaster Recovery (DR) site at mode 1+1 … the survey team assumed there is no need to have DR site', sites: ['oog'], checks: ['availability.dr-site'] },
  { id: 'SEC-CLASS4-INTEGRITY', ref: '§3.5.2 (1), Circular 03/2017 Annex 4 d)', quote: 'Check the integrity of the data, detect and warn when there are changes', sites: ['oog'], checks: ['availability.integrity'] },
  { id: 'SEC-CLASS4-LABELS', ref: '§3.5.2 (1), Circular 03/2017 Annex 4 d)', quote: 'Sort and manage stored data by type/group using different labels', sites: ['oog'], checks: [], gap: 'Data classification is an application and operations matter; no bill line can show it' },
  { id: 'SEC-CLASS4-BACKUP', ref: '§3.5.2 (1), Circular 03/2017 Annex 4 d)', quote: 'Use a fault-tolerant backup system to ensure data recovery when a problem occurs', sites: ['oog'], checks: ['availability.backup'] },
  { id: 'AVAIL-OFFSITE-BACKUP', ref: 'Table 33', quote: 'Data should be backed up in the external site … (e.g. Backed up to private cloud environment)', sites: ['oog'], checks: ['availability.offsite'] },
  // ---- §3.5.2 (2) and §4.5.3: security
  ...(['oog', 'ccop'] as const).flatMap((site) => {
    const p = site === 'oog' ? 'SEC' : 'ODB-SEC';
    const ref = site === 'oog' ? SEC_OOG : SEC_ODB;
    const s: Site[] = [site];
    return [
      { id: `${p}-RACK-LOCKS`, ref, quote: 'protected by individual locks on each rack', sites: s, checks: ['security.rack-locks'] },
      { id: `${p}-ROOM-ENTRY`, ref: site === 'oog' ? `${ref}, Table 33` : ref, quote: 'machine room entry control such as biometric authentication', sites: s, checks: ['security.room-entry'] },
      { id: `${p}-VIDEO`, ref: site === 'oog' ? `${ref}, Table 33` : ref, quote: 'constant video surveillance', sites: s, checks: ['security.video'] },
      { id: `${p}-PC-2FA`, ref, quote: 'two factor authentication mechanisms … is need for PC login', sites: s, checks: ['security.pc-2fa'], gap: 'The bill shows biometric readers and their management software; the second factor (token or passphrase) is configuration' },
      { id: `${p}-PC-DLP`, ref, quote: 'PC should be protected for data leaks with limitation of use of interfaces and … log management software for PC operations', sites: s, checks: ['security.pc-dlp'] },
      { id: `${p}-LAN-NAC`, ref, quote: 'LAN should be protected with detection/rejection technologies for unauthorized PC and unauthorized data communications', sites: s, checks: ['security.lan', 'security.db-isolation', ...(site === 'ccop' ? ['security.log-shipping'] : [])] },
      { id: `${p}-ENCRYPTION`, ref, quote: 'Transparent encryption of data in Database and data communication', sites: s, checks: ['security.encryption', 'security.tls', 'security.backup-encryption'] },
    ] satisfies Requirement[];
  }),
  { id: 'ODB-SEC-CIPHER', ref: '§4.5.3', quote: 'ODB should follow current regulations developed and carried out by the Government Committee for Cipher', sites: ['ccop'], checks: [], gap: 'Compliance with the Cipher Committee regulations is assessed against those regulations, not against a bill' },
  // ---- §3.5.3
  { id: 'DEV-CICD', ref: '§3.5.3', quote: 'CI/CD tool is required for development of NIRS and COC', sites: ['oog'], checks: [], gap: 'Software tooling; Table 42 leaves software to the Vietnamese side and no bill line provides a CI/CD tool' },
  // ---- Table 33, Table 42: the site
  { id: 'SITE-4-RACKS', ref: 'Table 33', quote: 'Current installation location for server racks is sufficient for 4 racks', sites: ['oog'], checks: ['physical.racks'] },
  { id: 'SITE-RACK-FIXING', ref: 'Table 33, Table 42', quote: 'fixation of the racks are strongly recommended … stable foundation for racks', sites: ['oog', 'ccop'], checks: [], gap: 'Site construction by the Vietnamese side (Table 42); not a bill item' },
  { id: 'SITE-POWER', ref: 'Table 42', quote: 'Design and construct installation environment such as stable sufficient power supply', sites: ['oog', 'ccop'], checks: ['physical.power'] },
  { id: 'SITE-RACK-SPACE', ref: 'Table 42, §6.2.1', quote: 'CCOP will decide where to place servers', sites: ['ccop'], checks: ['physical.racks'] },
  { id: 'IOC-ROOM', ref: 'Table 34, Table 38', quote: 'Displays in IOC: 12 (Option 2); Display Control, Displays (55inches), Video multiplexer', sites: ['oog'], checks: ['physical.ioc'] },
  // ---- §4.5: ODB
  { id: 'ODB-SCALE', ref: '§4.5.1', quote: 'a few staffs of 14,000 institutions … about 220 people; 2.6 million records; nearly 5 million members', sites: ['ccop'], checks: ['performance.odb'] },
  { id: 'ODB-BACKUP-SITE', ref: '§4.5.2, §6.2.1', quote: 'Back up site is assumed to be required … Backup system has not been included in these estimations', sites: ['ccop'], checks: ['availability.backup-site'] },
  { id: 'ODB-RAID', ref: '§4.5.2', quote: 'Storage is made redundant by RAID … configuration', sites: ['ccop'], checks: ['availability.raid'] },
  { id: 'ODB-TAPE', ref: '§4.5.2', quote: 'media backup is possible with tape device', sites: ['ccop'], checks: ['availability.tape'] },
];

export function requirementsFor(site: string): Requirement[] {
  return REQUIREMENTS.filter((r) => (r.sites as string[]).includes(site));
}

export function requirementById(id: string): Requirement | undefined {
  return REQUIREMENTS.find((r) => r.id === id);
}

/** The security requirement ID for a control at a site (§3.5.2 (2) at OOG, §4.5.3 at CCOP). */
export function secId(site: string, control: string): string {
  return `${site === 'ccop' ? 'ODB-SEC' : 'SEC'}-${control}`;
}
