// k6 arrival rates are integers per timeUnit; the model's rates are not (21.34/s, 0.088/s).
// Pick the smallest integer rate whose whole-second timeUnit brings it within tolerance.
import type { IntegerRate } from './types.ts';

/** Whole seconds keep the timeUnit readable and free of millisecond rounding. */
export function integerRate(perSecond: number, tolerance = 0.005, maxRate = 100_000): IntegerRate {
  if (!(Number.isFinite(perSecond) && perSecond > 0)) throw new RangeError(`integerRate: expected a positive rate per second, got ${perSecond}`);
  for (let rate = 1; rate <= maxRate; rate++) {
    // The nearest whole-second timeUnit for this rate; 1 s at least.
    const t = Math.max(1, Math.round(rate / perSecond));
    const actual = rate / t;
    const err = Math.abs(actual - perSecond) / perSecond;
    if (err <= tolerance) return { rate, timeUnitSeconds: t, perSecond: actual, targetPerSecond: perSecond, relativeError: err };
  }
  throw new RangeError(`integerRate: no integer rate up to ${maxRate} is within ${tolerance * 100} % of ${perSecond}/s`);
}
