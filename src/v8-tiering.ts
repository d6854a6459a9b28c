// How soon V8 hands a function to its optimizing compiler: after it has run its
// interrupt budget's worth of bytecode (V8 11's default: 66 KiB). otaimg's fast path
// runs for a few seconds on two cores next to mke2fs, and at the default V8 compiled
// ~180 functions, most of them only lukewarm: ~1.2 s of compiler-thread CPU on v2
// that mke2fs then waited for (perf: 40 % of mke2fs's own CPU). At 16× the budget it
// compiles ~20, and v2's image is written 15 % faster (BENCHMARKS.md, session 14).
// Other work wants its loops optimized early (the commit's workers: 7 % slower at
// 8×; the portable ext4 path, through the ext2fs WASM library's JS glue: ~7 %), so
// this is set per task, not on the shebang. V8 reads the budget whenever it resets a
// function's counter: setting it at run time changes when functions are optimized,
// never what they compute.
import { setFlagsFromString } from 'node:v8';

const DEFAULT_INTERRUPT_BUDGET = 66 * 1024;

/** V8 optimizes a function once it has run `factor` times its default budget of bytecode (1: V8's default). */
export function optimizeAfter(factor: number): void {
  setFlagsFromString(`--interrupt-budget=${DEFAULT_INTERRUPT_BUDGET * factor}`);
}
