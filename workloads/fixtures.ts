// Shared test inputs: a stand-in k6 bundle (the real one is built by k6/build.ts) and
// the inventory's view of OOG option 2.
import { loadInventory, siteView, type SiteView } from '../inventory/index.ts';
import { k6FileNames } from '../k6/index.ts';
import type { K6Bundle } from './k6-bundle.ts';

export function fakeBundle(pattern: 1 | 2 | 3 = 2): K6Bundle {
  const { script } = k6FileNames(pattern);
  return { script, files: { [script]: 'export default function () {}\n' } };
}

export function oogView(option = '2'): SiteView {
  return siteView(loadInventory(), 'oog', option);
}
