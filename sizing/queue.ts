// Queueing arithmetic for capacity: Little's law, Erlang C (M/M/c) and storage runway.
// Pure functions so the tests can check them against textbook values.
import { MONTHS_PER_YEAR } from './units.ts';

/** Little's law: mean number in the system L = λ · W. */
export function littlesLaw(arrivalsPerSecond: number, secondsInSystem: number): number {
  return arrivalsPerSecond * secondsInSystem;
}

/**
 * Erlang C: probability an arrival waits in an M/M/c queue with offered load `a` Erlangs
 * (λ/μ) and `c` servers. Uses the Erlang B recursion, which stays stable for large c.
 */
export function erlangC(c: number, a: number): number {
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`servers must be a whole number ≥ 1, got ${c}`);
  if (a < 0) throw new RangeError(`offered load must be ≥ 0, got ${a}`);
  if (a >= c) return 1;
  if (a > HALFIN_WHITT_LOAD) return halfinWhitt(c, a);
  // The recursion is O(c), and a what-if at the edge of its range asks for millions of
  // servers. Two facts bound it to O(√a) steps without changing small cases: below
  // a − 40√a Erlang B is 1 − k/a to double precision (the recursion forgets its start
  // value by a factor e^-800 by the time it reaches a), and above a it only falls, so once
  // it underflows it stays 0.
  const k0 = Math.max(0, Math.floor(a - 40 * Math.sqrt(a)));
  let b = k0 === 0 ? 1 : 1 - k0 / a; // Erlang B with k0 servers
  for (let k = k0 + 1; k <= c; k++) {
    b = (a * b) / (k + a * b);
    if (b < 1e-300) return 0;
  }
  const rho = a / c;
  return b / (1 - rho + rho * b);
}

/** Above this offered load even O(√a) steps are many; the heavy-traffic limit is then exact to ~1/√a. */
const HALFIN_WHITT_LOAD = 1e8;

/** Halfin–Whitt: P(wait) ≈ 1 / (1 + β Φ(β) / φ(β)) with β = (c − a) / √a. */
function halfinWhitt(c: number, a: number): number {
  const beta = (c - a) / Math.sqrt(a);
  if (beta > 38) return 0; // φ(β) underflows: nobody waits
  const phi = Math.exp(-beta * beta / 2) / Math.sqrt(2 * Math.PI);
  const Phi = 0.5 * erfc(-beta / Math.SQRT2);
  return 1 / (1 + (beta * Phi) / phi);
}

/** Complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

export interface MmcResult { utilisation: number; probabilityOfWaiting: number; meanWaitSeconds: number; stable: boolean }

/** M/M/c with arrival rate λ and per-server service rate μ: utilisation and mean wait in queue Wq. */
export function mmc(arrivalsPerSecond: number, serviceRatePerServer: number, servers: number): MmcResult {
  const a = arrivalsPerSecond / serviceRatePerServer;
  const utilisation = a / servers;
  if (utilisation >= 1) return { utilisation, probabilityOfWaiting: 1, meanWaitSeconds: Infinity, stable: false };
  const pw = erlangC(servers, a);
  return { utilisation, probabilityOfWaiting: pw, meanWaitSeconds: pw / (servers * serviceRatePerServer - arrivalsPerSecond), stable: true };
}

/** Fewest servers that keep utilisation at or below the target (at least one). */
export function serversFor(arrivalsPerSecond: number, serviceRatePerServer: number, targetUtilisation: number): number {
  if (!(targetUtilisation > 0 && targetUtilisation <= 1)) throw new RangeError(`target utilisation must be in (0, 1], got ${targetUtilisation}`);
  const need = arrivalsPerSecond / (serviceRatePerServer * targetUtilisation);
  // Tolerate binary noise so exactly-on-target loads do not get an extra server.
  return Math.max(1, Math.ceil(need - 1e-9));
}

/** Months until `capacity` is full at `growthPerYear` (same unit); null when nothing grows. */
export function monthsUntilFull(capacity: number, growthPerYear: number, used = 0): number | null {
  if (growthPerYear <= 0) return null;
  return Math.max(0, (capacity - used) / growthPerYear) * MONTHS_PER_YEAR;
}
