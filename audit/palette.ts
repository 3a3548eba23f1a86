// One colour-blind-safe palette (Okabe & Ito, 2008) for every chart and badge of the
// report. Status colours are never the only carrier: every status also has a word and a
// glyph, and patterns differ in dash as well as hue. Patterns avoid the status hues.
import type { Status } from './types.ts';

export const OKABE_ITO = {
  black: '#000000', orange: '#E69F00', skyBlue: '#56B4E9', bluishGreen: '#009E73',
  yellow: '#F0E442', blue: '#0072B2', vermillion: '#D55E00', reddishPurple: '#CC79A7',
} as const;

export const STATUS_STYLE: Record<Status | 'uncovered', { glyph: string; word: string; colour: string }> = {
  pass: { glyph: '✓', word: 'PASS', colour: OKABE_ITO.bluishGreen },
  warn: { glyph: '!', word: 'WARN', colour: OKABE_ITO.orange },
  fail: { glyph: '✗', word: 'FAIL', colour: OKABE_ITO.vermillion },
  uncovered: { glyph: '–', word: 'NO CHECK', colour: '#777777' },
};

/** Patterns 1–3: hue and dash, neither of them a status colour. */
export const PATTERN_STYLE = {
  names: ['Pattern 1', 'Pattern 2', 'Pattern 3'],
  colours: [OKABE_ITO.reddishPurple, OKABE_ITO.blue, OKABE_ITO.black],
  dashes: [[1, 0], [8, 4], [2, 3]],
} as const;

/** Rack roles: fill and the text colour readable on it. */
export const ROLE_STYLE: Record<string, { fill: string; text: string; label: string }> = {
  platform: { fill: OKABE_ITO.blue, text: '#ffffff', label: 'Virtual Platform host' },
  server: { fill: OKABE_ITO.blue, text: '#ffffff', label: 'Server' },
  db: { fill: OKABE_ITO.skyBlue, text: '#000000', label: 'DB server' },
  'virt-mgmt': { fill: OKABE_ITO.reddishPurple, text: '#000000', label: 'Virtualization Management' },
  'display-control': { fill: OKABE_ITO.yellow, text: '#000000', label: 'Display controller' },
  storage: { fill: OKABE_ITO.orange, text: '#000000', label: 'Storage array' },
  firewall: { fill: OKABE_ITO.vermillion, text: '#ffffff', label: 'Firewall / IPS' },
  'l2-switch': { fill: OKABE_ITO.bluishGreen, text: '#ffffff', label: 'L2 switch' },
  'l3-switch': { fill: '#9ad6c0', text: '#000000', label: 'L3 switch' },
  'fc-switch': { fill: '#bbbbbb', text: '#000000', label: 'FC switch' },
  'security-sensor': { fill: OKABE_ITO.black, text: '#ffffff', label: 'Security sensor' },
};
export const OTHER_ROLE = { fill: '#dddddd', text: '#000000', label: 'Other' };
