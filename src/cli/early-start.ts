// Imported first by main.ts, so that this runs before yargs and the command's
// modules are loaded and set up (~100-150 ms): a worker thread takes ~90 ms to
// start, and otaimg's tree walk hands its header worker work as soon as it begins.
import { HEADER_WORKER } from '../sysroot/header-worker-url.js';
import { ThreadPool } from '../threads/pool.js';

/** The command a command line names: its first word that is not an option. */
export const commandName = (argv: readonly string[]): string | undefined => argv.find((a) => !a.startsWith('-'));

if (commandName(process.argv.slice(2)) === 'otaimg') ThreadPool.prestart(HEADER_WORKER);
