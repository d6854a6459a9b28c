// Decides what a delta carries and how: every object the to-commit reaches that
// the from-commit does not (the to-commit itself travels in the superblock).
// Metadata and symlinks go whole; a regular file paired with an old version
// goes as a patch when that is smaller than the file; big files that are not
// patched become fallbacks (fetched loose, as ostree's --min-fallback-size).
import { NotFoundError } from '../errors.js';
import type { ObjectType } from '../ostree/object-type.js';
import { isRegular, isSymlink } from '../ostree/validate.js';
import { readContentObject } from '../repo/content-reader.js';
import type { Repo } from '../repo/repo.js';
import { readContentInfo, type ContentInfo } from './content-source.js';
import type { Patch, PatchPool } from './patch-pool.js';
import { ReachableObjects } from './reachable.js';
import { pairSimilarFiles } from './similar.js';

export interface DeltaLimits {
  /** Objects bigger than this (bytes) that are not patched are fetched loose; 0 = never. */
  minFallbackSize: number;
  /** Pairs whose old + new size exceeds this are not patched. */
  maxBsdiffSize: number;
  /** Try patches at all. */
  bsdiff: boolean;
}

export interface MetadataItem {
  type: Extract<ObjectType, 'dirtree' | 'dirmeta'>;
  checksum: string;
}

export interface ContentItem extends ContentInfo {
  path: string;
  /** Compressed data hardly shrinks again: packed apart, compressed cheaply. */
  incompressible: boolean;
  /** For a paired file: the old object and its patch (null when whole is smaller). */
  from?: string;
  patch?: Promise<Patch | null>;
}

export interface DeltaPlan {
  metadata: MetadataItem[];
  symlinks: ContentItem[];
  /** Regular files, unpaired first, in packing order. */
  files: ContentItem[];
  /** Content objects of the to-commit the client already has (from the from-commit). */
  unchanged: number;
}

/** Stored deflate size over content size above this: treat as incompressible. */
const INCOMPRESSIBLE_RATIO = 0.9;
/** What a patch costs beyond its bytes: the source checksum and its opcodes. */
const PATCH_OVERHEAD = 48;

function extension(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}

/** Similar files next to each other compress better: by extension, name, path. */
function packingKey(item: ContentItem): string {
  const name = item.path.slice(item.path.lastIndexOf('/') + 1);
  return `${extension(item.path)}\0${name}\0${item.path}`;
}

export function planDelta(repo: Repo, from: string | null, to: string, limits: DeltaLimits, pool: PatchPool): DeltaPlan {
  const target = new ReachableObjects(repo);
  target.addCommit(to);
  const source = from ? new ReachableObjects(repo, { paths: true }) : null;
  source?.addCommit(from!);

  const metadata: MetadataItem[] = [
    ...[...target.dirtrees].filter((c) => !source?.dirtrees.has(c)).map((checksum) => ({ type: 'dirtree' as const, checksum })),
    ...[...target.dirmetas].filter((c) => !source?.dirmetas.has(c)).map((checksum) => ({ type: 'dirmeta' as const, checksum })),
  ];

  const symlinks: ContentItem[] = [];
  const regular: ContentItem[] = [];
  let unchanged = 0;
  for (const [checksum, path] of target.files) {
    if (source?.files.has(checksum)) {
      unchanged++;
      continue;
    }
    let info: ContentInfo;
    try {
      info = readContentInfo(repo, checksum);
    } catch (e) {
      if (e instanceof NotFoundError) throw new NotFoundError(`commit ${to} is incomplete: content object ${checksum} (${path}) is missing from ${repo.path}`);
      throw e;
    }
    const incompressible = info.size >= 4096 && info.compressedSize / info.size > INCOMPRESSIBLE_RATIO;
    const item: ContentItem = { ...info, path, incompressible };
    if (isSymlink(info.meta.mode)) symlinks.push(item);
    else if (isRegular(info.meta.mode)) regular.push(item);
  }

  if (limits.bsdiff && source) {
    const oldInfos = new Map<string, ContentInfo | null>();
    const oldInfo = (checksum: string): ContentInfo | null => {
      if (!oldInfos.has(checksum)) {
        try {
          oldInfos.set(checksum, readContentInfo(repo, checksum));
        } catch {
          oldInfos.set(checksum, null);
        }
      }
      return oldInfos.get(checksum)!;
    };
    const pairs = pairSimilarFiles(regular, source.paths, oldInfo);
    for (const item of regular) {
      const old = pairs.get(item.checksum);
      if (!old || oldInfo(old)!.size + item.size > limits.maxBsdiffSize) continue;
      item.from = old;
      item.patch = patchIfSmaller(repo, pool, old, item);
    }
  }

  symlinks.sort((a, b) => (a.path < b.path ? -1 : 1));
  // Unpaired files first: they can be packed while the patches are computed.
  regular.sort((a, b) => Number(a.from !== undefined) - Number(b.from !== undefined) || (packingKey(a) < packingKey(b) ? -1 : 1));
  return { metadata, symlinks, files: regular, unchanged };
}

/** The patch, or null when sending the whole file is as good — or the patch could not be made. */
async function patchIfSmaller(repo: Repo, pool: PatchPool, from: string, item: ContentItem): Promise<Patch | null> {
  const method = item.incompressible ? 'block' : 'bsdiff';
  let result: Patch;
  try {
    // Read lazily, when the pool is about to take the job, to bound memory.
    result = await pool.run(method, () => [readContentObject(repo, from).data, readContentObject(repo, item.checksum).data]);
  } catch {
    return null; // a patch is an optimization: the file goes whole (a missing new object fails there)
  }
  // Compare like with like: deflate size of the patch vs the stored (deflated) file.
  return result.estimate + PATCH_OVERHEAD < item.compressedSize ? result : null;
}
