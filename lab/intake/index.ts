// Public face of the lab GIRS intake: code outside lab/intake imports only this file.
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_UPLOADS, startIntake } from './intake.ts';
export type { IntakeOptions, RunningIntake } from './intake.ts';
export { generateTokens, loadTokensFile, writeTokensFile } from './tokens.ts';
export type { Principal, Role, TokenMap } from './tokens.ts';
export { writeFileAtomic } from './durable.ts';
export { openApiDocument } from './openapi.ts';
/** observe(): the per-request access-log and metrics hook, exported for bench:intake-obs. */
export { IntakeMetrics, METRIC_PREFIX, observe } from './observe.ts';
export { asStoreUnavailable, StoreUnavailable } from './store-unavailable.ts';
export type { ReportMeta, ReportStore } from './store.ts';
/** Fixtures for tests that drive an intake (four principals, an upload client). */
export { body, call, sha256, TEST_TOKEN_MAP, TEST_TOKENS, upload } from './testing.ts';
export { summarizeIntakeMetrics } from './metrics-summary.ts';
export type { IntakeRunSummary } from './metrics-summary.ts';
/** The hybrid store (bodies on shared storage, rows in the Patroni cluster) and its leader search. */
export { HybridStore } from './hybrid-store.ts';
export { parseMultiHostUrl, type MultiHostConfig } from './leader.ts';
