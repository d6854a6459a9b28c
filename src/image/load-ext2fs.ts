// Loads the ext2fs WASM library on first use only (the fast path never needs it).
import type * as Ext2fsModule from 'ext2fs';
import { importEmscripten } from '../emscripten-import.js';

type Ext2fs = typeof Ext2fsModule.default;

let loaded: Promise<Ext2fs> | undefined;

export function loadExt2fs(): Promise<Ext2fs> {
  loaded ??= importEmscripten(() => import('ext2fs')).then((mod) => mod.default);
  return loaded;
}
