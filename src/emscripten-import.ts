// Loads an emscripten-built module (ext2fs, libdeflate) without its process-wide
// handlers: `load` imports and, where that is a separate step, instantiates it. Emscripten's glue installs 'uncaughtException' and 'unhandledRejection'
// handlers that rethrow (printing the whole minified module); they are removed
// again so the CLI's own error handling stays in charge.

export async function importEmscripten<T>(load: () => Promise<T>): Promise<T> {
  const exceptions = process.listeners('uncaughtException');
  const rejections = process.listeners('unhandledRejection');
  const mod = await load();
  for (const l of process.listeners('uncaughtException')) if (!exceptions.includes(l)) process.off('uncaughtException', l);
  for (const l of process.listeners('unhandledRejection')) if (!rejections.includes(l)) process.off('unhandledRejection', l);
  return mod;
}
