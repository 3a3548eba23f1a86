// `coc synth`: the same command as `npm run synth`, for cli/main.ts to dispatch to.
export { run } from './main.ts';
