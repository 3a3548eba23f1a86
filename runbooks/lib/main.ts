// Entry-point wrapper for drill scripts: CliError → message + its exit code (2),
// anything else → message + exit 1. One implementation for every script of the project.
export { runMain } from '../../cli/errors.ts';
