// Types for the parts of the `ext2fs` package (libext2fs compiled to WASM, 4.2.x)
// that yocto-ostree uses. Its promise API mirrors node:fs on paths in the image.
declare module 'ext2fs' {
  export interface Disk {
    read(buffer: Buffer, bufferOffset: number, length: number, fileOffset: number): Promise<unknown>;
    write(buffer: Buffer, bufferOffset: number, length: number, fileOffset: number): Promise<unknown>;
    discard(offset: number, length: number): Promise<void>;
    flush(): Promise<void>;
  }

  export interface Ext2Stats {
    mode: number;
    nlink: number;
    uid: number;
    gid: number;
    ino: number;
    size: number;
    blocks: number;
    mtime: Date;
    isDirectory(): boolean;
    isFile(): boolean;
    isSymbolicLink(): boolean;
  }

  export interface Ext2FsPromises {
    open(path: string, flags: number | string, mode?: number): Promise<{ fd: number; close(): void }>;
    close(fd: number): Promise<void>;
    read(fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
    write(fd: number, buffer: Buffer, offset: number, length: number, position: number | null): Promise<{ bytesWritten: number }>;
    mkdir(path: string, mode: number): Promise<void>;
    symlink(target: string, path: string): Promise<void>;
    link(existing: string, path: string): Promise<void>;
    unlink(path: string): Promise<void>;
    /** Always UTF-8 strings: the library ignores the encoding option. */
    readdir(path: string): Promise<string[]>;
    readlink(path: string): Promise<string>;
    lstat(path: string): Promise<Ext2Stats>;
    fstat(fd: number): Promise<Ext2Stats>;
  }

  export interface Ext2Fs {
    promises: Ext2FsPromises;
    /** fd-based calls (the numeric fd the promise `open` wraps). */
    closeAllFileDescriptors(): Promise<void>;
  }

  export function mount(disk: Disk, offset?: number): Promise<Ext2Fs>;
  export function umount(fs: Ext2Fs): Promise<void>;
  const ext2fs: { mount: typeof mount; umount: typeof umount };
  export default ext2fs;
}
