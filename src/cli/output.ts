// How commands talk to people and machines: --json prints exactly one JSON object
// on stdout; a TTY gets progress on stderr; a non-TTY stays quiet except warnings.

export interface Reporter {
  readonly json: boolean;
  /** Human-readable result line(s); suppressed with --json. */
  info(line: string): void;
  warn(line: string): void;
  /** Throttled progress on a TTY; no-op elsewhere. A function is called only for a line that is shown (callers report per entry). */
  progress(line: string | (() => string)): void;
  /** Ends progress output (clears the line). */
  done(): void;
  /** Prints the command's result object when --json is set. */
  result(obj: object): void;
}

export function createReporter(opts: { json?: boolean }): Reporter {
  const json = Boolean(opts.json);
  const tty = Boolean(process.stderr.isTTY) && !json;
  let last = 0;
  let shown = false;
  const clear = (): void => {
    if (shown) process.stderr.write('\r\x1b[K');
    shown = false;
  };
  return {
    json,
    info(line) {
      if (!json) process.stdout.write(line + '\n');
    },
    warn(line) {
      clear();
      process.stderr.write(`warning: ${line}\n`);
    },
    progress(line) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      process.stderr.write('\r\x1b[K' + (typeof line === 'string' ? line : line()));
      shown = true;
    },
    done: clear,
    result(obj) {
      if (json) process.stdout.write(JSON.stringify(obj) + '\n');
    },
  };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
