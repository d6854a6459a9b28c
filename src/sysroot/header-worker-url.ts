// Where the header worker's script is, for the pool that runs it and for the CLI
// entry, which starts it before anything else loads (cli/early-start.ts).
export const HEADER_WORKER = new URL('./header-worker.js', import.meta.url);
