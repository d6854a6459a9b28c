#!/usr/bin/env node
// yocto-ostree: one yargs command per file in this directory.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError, UserError } from '../errors.js';
import { commitCommand } from './commit.js';
import { configCommand } from './config.js';
import { deltaCommand } from './delta.js';
import { initCommand } from './init.js';
import { inspectCommand } from './inspect.js';
import { otaimgCommand } from './otaimg.js';
import { pruneCommand } from './prune.js';
import { signCommand } from './sign.js';

const commands = [initCommand, commitCommand, configCommand, deltaCommand, pruneCommand, signCommand, otaimgCommand, inspectCommand];

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
    // Wrapping costs ~0.3 s per run (yargs renders the help even when not asked):
    // only for people at a terminal.
    .wrap(process.stdout.isTTY ? Math.min(110, process.stdout.columns) : null)
    // `commit --version` is the commit's version metadata, so no global --version.
    .version(false);
  for (const command of commands) cli = cli.command(command as never);
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
