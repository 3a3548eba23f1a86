// Replicas and resource requests of the GIRS upload and API tiers, and the k6 runner
// count, derived from the sizing model for the configured pattern: nothing here is a guess
// except the per-pod constants in settings.ts, which carry their reasons.
import { littlesLaw, loadSizingData, mmc, serversFor, sizePattern, targetsOf, type PatternId, type SizingData } from '../sizing/index.ts';
import { InputError } from '../cli/errors.ts';
import { sizingOverrides, type Settings } from './settings.ts';

/** §3.5.2 (1): class 4 asks for HA servers, so no web/API tier runs fewer than two pods. */
export const MIN_HA_REPLICAS = 2;
const MB_TO_MIB = 1e6 / 2 ** 20;
/** Process, runtime and TLS buffers of one pod before any upload is in flight. */
const UPLOAD_BASE_MIB = 256;
const API_BASE_MIB = 512;

export interface TierSize {
  replicas: number;
  maxReplicas: number;
  cpuRequestMilli: number;
  cpuLimitMilli: number;
  memoryMiB: number;
  /** Reports one pod completes per second at full load. */
  serviceRatePerPod: number;
  utilisation: number;
  meanWaitSeconds: number;
  /** In-flight reports per pod at peak (Little's law). */
  inFlightPerPod: number;
}

export interface WorkloadSizing {
  pattern: PatternId;
  reportsPerSecond: number;
  reportSizeMB: number;
  dataMBps: number;
  targetUtilisation: number;
  perCoreReportsPerSecond: number;
  secondsPerUpload: number;
  concurrentUploads: number;
  upload: TierSize;
  api: TierSize;
  loadTest: { parallelism: number; byRate: number; byBandwidth: number };
}

const roundUp = (n: number, step: number) => Math.ceil(n / step) * step;

function tier(lambda: number, perCore: number, cores: number, target: number, headroom: number, memoryMiB: (replicas: number) => number, inFlight: (replicas: number) => number, minReplicas = MIN_HA_REPLICAS): TierSize {
  const mu = perCore * cores;
  const replicas = Math.max(minReplicas, serversFor(lambda, mu, target));
  const q = mmc(lambda, mu, replicas);
  const cpuRequestMilli = Math.round(cores * 1000);
  return {
    replicas, maxReplicas: Math.max(replicas + 1, Math.ceil(replicas * headroom)),
    cpuRequestMilli, cpuLimitMilli: 2 * cpuRequestMilli, memoryMiB: memoryMiB(replicas),
    serviceRatePerPod: mu, utilisation: q.utilisation, meanWaitSeconds: q.meanWaitSeconds, inFlightPerPod: inFlight(replicas),
  };
}

export function sizeWorkloads(settings: Settings, site: string, option: string, data: SizingData = loadSizingData()): WorkloadSizing {
  const pattern = settings.pattern;
  // One model run: the targets are read off the same result.
  const model = sizePattern(pattern, sizingOverrides(settings), data);
  const targets = targetsOf(model);
  const cap = model.capacity.options.find((o) => o.site === site && o.option === option);
  if (!cap) {
    const known = model.capacity.options.map((o) => `${o.site}/${o.option}`).join(', ');
    throw new InputError(`the sizing model has no GIRS capacity for ${site}/${option}; expected one of ${known}`);
  }
  const lambda = targets.reportsPerSecond;
  const target = cap.webAp.targetUtilisation;
  const perCore = model.capacity.intake.perCoreReportsPerSecond;
  // Little's law: uploads in flight = arrivals × time one upload takes over the client link.
  const concurrentUploads = littlesLaw(lambda, cap.uploads.secondsPerUpload);
  const reportMiB = targets.reportSizeMB * MB_TO_MIB;

  const uploadInFlight = (r: number) => Math.ceil(concurrentUploads / r);
  // Enough pods for the CPU (Erlang C at the target) and for the uploads in flight at peak.
  const bySlots = Math.ceil(concurrentUploads / settings.uploadSlotsPerPod);
  const upload = tier(lambda, perCore, settings.uploadPodCores, target, settings.hpaHeadroom,
    (r) => roundUp(UPLOAD_BASE_MIB + uploadInFlight(r) * reportMiB * settings.uploadBufferFactor, 64), uploadInFlight,
    Math.max(MIN_HA_REPLICAS, bySlots));
  // The API holds a report only while it processes it: in flight = λ / μ (Little's law, W = 1/μ).
  const apiInFlight = (r: number) => Math.max(1, Math.ceil(lambda / (perCore * settings.apiPodCores) / r));
  const api = tier(lambda, perCore, settings.apiPodCores, target, settings.hpaHeadroom,
    (r) => roundUp(API_BASE_MIB + apiInFlight(r) * reportMiB, 64), apiInFlight);

  const byRate = Math.ceil(lambda / settings.k6.perPodReportsPerSecond);
  const byBandwidth = Math.ceil(targets.dataMBps / settings.k6.perPodMBps);
  return {
    pattern, reportsPerSecond: lambda, reportSizeMB: targets.reportSizeMB, dataMBps: targets.dataMBps,
    targetUtilisation: target, perCoreReportsPerSecond: perCore, secondsPerUpload: cap.uploads.secondsPerUpload,
    concurrentUploads, upload, api, loadTest: { parallelism: Math.max(1, byRate, byBandwidth), byRate, byBandwidth },
  };
}
