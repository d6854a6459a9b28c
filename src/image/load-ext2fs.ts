// Loads the ext2fs WASM library on first use only (the fast path never needs it).
// Its emscripten glue installs process-wide 'uncaughtException' and
// 'unhandledRejection' handlers that rethrow (printing the whole minified module);
// they are removed again so the CLI's own error handling stays in charge.
import type * as Ext2fsModule from 'ext2fs';

type Ext2fs = typeof Ext2fsModule.default;

let loaded: Promise<Ext2fs> | undefined;

export function loadExt2fs(): Promise<Ext2fs> {
  loaded ??= (async () => {
    const exceptions = process.listeners('uncaughtException');
    const rejections = process.listeners('unhandledRejection');
    const mod = await import('ext2fs');
    for (const l of process.listeners('uncaughtException')) if (!exceptions.includes(l)) process.off('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!rejections.includes(l)) process.off('unhandledRejection', l);
    return mod.default;
  })();
  return loaded;
}
