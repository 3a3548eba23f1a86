// What both intake benchmarks prepare before they drive the lab intake: a few random reports
// of the pattern's size with their SHA-256, and a tokens file for 93 agencies and 1 examiner.
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTokens } from '../lab/intake/index.ts';

export interface Bodies { bytes: Buffer[]; sha256: string[] }

/** `count` random bodies of `size` bytes; reused round-robin, so hashing stays out of the measurement. */
export function reportBodies(size: number, count = 4): Bodies {
  const bodies: Bodies = { bytes: [], sha256: [] };
  for (let i = 0; i < count; i++) {
    const b = randomBytes(size);
    bodies.bytes.push(b);
    bodies.sha256.push(createHash('sha256').update(b).digest('hex'));
  }
  return bodies;
}

/** Writes `dir/tokens.json` (mode 0600) and returns it with the agency tokens the clients use. */
export function benchTokens(dir: string): { tokensFile: string; agencyTokens: string[] } {
  const tokenMap = generateTokens(93, 1);
  const tokensFile = join(dir, 'tokens.json');
  writeFileSync(tokensFile, JSON.stringify(tokenMap), { mode: 0o600 });
  return { tokensFile, agencyTokens: Object.entries(tokenMap).filter(([, p]) => p.role === 'agency').map(([t]) => t) };
}
