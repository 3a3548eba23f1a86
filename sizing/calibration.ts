// The lab intake benchmark writes the measured per-core ingest rate here; when present it
// replaces the project default, and the assumption ledger cites where it came from.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { INVENTORY_DIR, positive } from '../inventory/index.ts';
import { InventoryError, SourceFile, validate } from '../inventory/validate.ts';
import type { Calibration } from './types.ts';

export const CalibrationSchema = z.object({
  intakePerCore: z.object({
    reportsPerSecond: positive,
    mbPerSecond: positive,
    cores: positive,
    reportSizeMB: positive,
    measuredAt: z.union([z.string(), z.date()]).transform((d) => (d instanceof Date ? d.toISOString() : d)),
    source: z.string().min(1, 'a source naming the benchmark run'),
  }),
});
export type { Calibration };

export function calibrationPath(dir = INVENTORY_DIR): string {
  return join(dir, 'measured', 'intake-calibration.yaml');
}

/** The measured intake rate, or null when the benchmark has not written one. Bad files are errors, not silently ignored. */
export function readCalibration(path = calibrationPath()): Calibration | null {
  if (!existsSync(path)) return null;
  const src = SourceFile.read(path);
  const res = validate(src, CalibrationSchema);
  if (!res.data) throw new InventoryError(res.issues);
  return { ...res.data.intakePerCore, file: src.file };
}
