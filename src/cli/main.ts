#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node --max-semi-space-size=2
// yocto-ostree: one yargs command per file in this directory.
// The young generation is capped at 2 MiB a semi-space (V8's default is 16): what
// a commit allocates per entry dies young, and the default's 48 MiB of new space
// was a sixth of the peak memory of a 65k-entry commit, for no speed gained.
// NODE_EXTRA_CA_CERTS is dropped: node loads those certificates before any code runs
// (~90 ms with Debian's bundle, on every command), and this tool opens no TLS connection.
import { commandName } from './early-start.js'; // first: see there
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError, UserError } from '../errors.js';
import type { CommandModule } from 'yargs';

// Loading every command's code costs more than some commands take to run: a run
// loads only the command it names (all of them for the overview help or a typo).
const COMMANDS: Record<string, () => Promise<CommandModule<any, any>>> = {
  init: async () => (await import('./init.js')).initCommand,
  commit: async () => (await import('./commit.js')).commitCommand,
  config: async () => (await import('./config.js')).configCommand,
  delta: async () => (await import('./delta.js')).deltaCommand,
  prune: async () => (await import('./prune.js')).pruneCommand,
  sign: async () => (await import('./sign.js')).signCommand,
  otaimg: async () => (await import('./otaimg.js')).otaimgCommand,
  inspect: async () => (await import('./inspect.js')).inspectCommand,
};

function commandsFor(argv: string[]): Promise<CommandModule<any, any>[]> {
  const named = commandName(argv);
  const names = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  return Promise.all(names.map((n) => COMMANDS[n]()));
}

/**
 * yargs renders a command's whole help text as soon as its handler has started, in
 * case the run fails and the help is to be shown (~80 ms for otaimg's options, in the
 * middle of its work). Our .fail() throws instead, so that text is never shown; `--help`
 * still renders it when asked. Through yargs' internal methods: when they are not
 * there, yargs keeps rendering, which costs time but changes nothing.
 */
function skipHelpPrerender(cli: object): void {
  const internal = cli as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } };
  const usage = internal.getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

async function main(argv: string[]): Promise<void> {
  let cli = yargs(argv)
    .scriptName('yocto-ostree')
    .usage('$0 <command> [options]\n\nTurn Yocto root filesystems into OSTree commits, deltas and OTA images.')
    .strict()
    .demandCommand(1, 'name a command; see --help')
    .recommendCommands()
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .help()
    // Wrapping costs ~0.3 s each time the help is rendered (on --help, on a usage error,
    // and, unless skipHelpPrerender could stop it, once per command run): only for
    // people at a terminal.
    .wrap(process.stdout.isTTY ? Math.min(110, process.stdout.columns) : null)
    // `commit --version` is the commit's version metadata, so no global --version.
    .version(false);
  for (const command of await commandsFor(argv)) cli = cli.command(command as never);
  skipHelpPrerender(cli);
  await cli.parseAsync();
}

main(hideBin(process.argv)).catch((err: unknown) => {
  if (err instanceof UserError) {
    process.stderr.write(`yocto-ostree: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    // Unexpected: still one line, the stack only on request.
    const e = err as Error;
    process.stderr.write(`yocto-ostree: ${e?.message ?? String(err)}\n`);
    if (process.env.YOCTO_OSTREE_DEBUG) process.stderr.write(`${e?.stack}\n`);
    process.exitCode = 70; // EX_SOFTWARE
  }
});
