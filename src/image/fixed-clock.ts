// The ext2fs WASM library stamps inodes and the superblock with the wall clock
// (emscripten's time() and clock_gettime() read Date.now()). While it writes an
// image, the clock reads the image's epoch, whole seconds, so every time it sets
// is SOURCE_DATE_EPOCH and the image is reproducible.

export async function withFixedClock<T>(epochSeconds: number, fn: () => Promise<T>): Promise<T> {
  const realNow = Date.now;
  Date.now = () => epochSeconds * 1000;
  try {
    return await fn();
  } finally {
    Date.now = realNow;
  }
}
