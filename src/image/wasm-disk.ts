// The block device the ext2fs WASM library works on: an image file. The library
// asks for one block at a time, so each request is served with a synchronous read
// or write (a thread-pool round trip per 1 KiB block costs ten times more). Read-only
// disks refuse writes, so inspecting can never change an image.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type { Disk } from 'ext2fs';

export class ImageDisk implements Disk {
  private constructor(
    private readonly fd: number,
    private readonly writable: boolean,
  ) {}

  static async open(path: string, writable: boolean): Promise<ImageDisk> {
    return new ImageDisk(openSync(path, writable ? 'r+' : 'r'), writable);
  }

  async read(buffer: Buffer, bufferOffset: number, length: number, fileOffset: number): Promise<{ bytesRead: number }> {
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buffer, bufferOffset + done, length - done, fileOffset + done);
      if (n === 0) {
        buffer.fill(0, bufferOffset + done, bufferOffset + length); // past the end of a sparse image
        break;
      }
      done += n;
    }
    return { bytesRead: length };
  }

  async write(buffer: Buffer, bufferOffset: number, length: number, fileOffset: number): Promise<{ bytesWritten: number }> {
    if (!this.writable) throw new Error('read-only image');
    let done = 0;
    while (done < length) done += writeSync(this.fd, buffer, bufferOffset + done, length - done, fileOffset + done);
    return { bytesWritten: length };
  }

  async discard(): Promise<void> {
    // Nothing to do: the image file is sparse where nothing was written.
  }

  async flush(): Promise<void> {
    // The finished image is synced once, before it is renamed into place.
  }

  async close(): Promise<void> {
    closeSync(this.fd);
  }
}
