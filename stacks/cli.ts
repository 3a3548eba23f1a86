// `coc synth`: the module the dispatcher (bin/main.ts) loads.
export { run, USAGE } from './main.ts';
