// Packs a delta plan into parts. Each class of object (part-class.ts) fills
// parts of its own, each at most `maxChunkSize` bytes of data, compressed the
// way that suits it. A finished part is compressed while the next is filled;
// a part is stored uncompressed when xz does not make it smaller.
//
// Order matters for ostree 2022.x clients: they rescan a commit that came
// through a delta (fixed in 2023.7, ostree commit fc5aef6f) and fetch loose
// whatever the scan finds missing, even objects a part is about to write. So
// content goes first, then symlinks, then directory metadata with the root
// tree last: the scan can only descend into directories whose contents are
// already written. Big objects go loose (fallbacks) unless a patch saves
// much: a loose object is fetched exactly once.
import { COMPRESSION_NONE, COMPRESSION_XZ, encodePartFile } from '../ostree/delta-part.js';
import type { DeltaFallback, DeltaObject } from '../ostree/delta-superblock.js';
import { readContentObject } from '../repo/content-reader.js';
import type { Repo } from '../repo/repo.js';
import { classifyContent, PART_ALIGNMENT, PART_COMPRESSION, xzArgs, type PartClass, type XzChain } from './part-class.js';
import { PartBuilder } from './part-builder.js';
import type { ContentItem, DeltaPlan } from './plan.js';
import { xzCompress } from './xz.js';

export type SendMethod = 'metadata' | 'symlink' | 'whole' | 'bsdiff' | 'fallback';

export interface Contribution {
  path: string;
  checksum: string;
  how: SendMethod;
  /** Bytes added to the part's data (before compression), or the loose object's size. */
  bytes: number;
  /** Index of the part, or null for a fallback. */
  part: number | null;
}

export interface BuiltPart {
  /** The part file: compression byte + (compressed) payload. */
  file: Buffer;
  /** Declared uncompressed size (see PartBuilder.usize). */
  usize: number;
  /** The payload's size before compression. */
  payloadSize: number;
  compression: 'xz' | 'none';
  objects: DeltaObject[];
}

export interface PackResult {
  parts: BuiltPart[];
  fallbacks: DeltaFallback[];
  contributions: Contribution[];
}

/** Filter chains are chosen on this much of a part. */
const SAMPLE = 1 << 20;
/** A big object is patched only when the patch is at most this fraction of it. */
const BIG_PATCH_GAIN = 0.5;

async function pickChain(payload: Buffer, candidates: XzChain[]): Promise<XzChain> {
  if (candidates.length === 1) return candidates[0];
  const sample = payload.subarray(0, SAMPLE);
  const sizes = await Promise.all(candidates.map(async (c) => (await xzCompress(sample, xzArgs(c, 1))).length));
  return candidates[sizes.indexOf(Math.min(...sizes))];
}

async function compress(builder: PartBuilder, kind: PartClass): Promise<BuiltPart> {
  const payload = builder.finish();
  const xz = await xzCompress(payload, xzArgs(await pickChain(payload, PART_COMPRESSION[kind])));
  const compressed = xz.length < payload.length;
  return {
    file: encodePartFile(compressed ? COMPRESSION_XZ : COMPRESSION_NONE, compressed ? xz : payload),
    usize: builder.usize(payload),
    payloadSize: payload.length,
    compression: compressed ? 'xz' : 'none',
    objects: builder.objects,
  };
}

function compressPart(builder: PartBuilder, kind: PartClass): Promise<BuiltPart> {
  const p = compress(builder, kind);
  p.catch(() => undefined); // reported by Promise.all at the end, not as unhandled
  return p;
}

export async function packDelta(repo: Repo, plan: DeltaPlan, maxChunkSize: number, minFallbackSize: number): Promise<PackResult> {
  const finished: Promise<BuiltPart>[] = [];
  const open = new Map<PartClass, { builder: PartBuilder; index: number }>();
  const contributions: Contribution[] = [];
  const fallbacks: DeltaFallback[] = [];

  /** The open part of this class with room for `bytes` more (a new one if not). */
  const partFor = (kind: PartClass, bytes: number): { builder: PartBuilder; index: number } => {
    const cur = open.get(kind);
    if (cur && (cur.builder.objects.length === 0 || cur.builder.dataSize + bytes <= maxChunkSize)) return cur;
    if (cur) finished[cur.index] = compressPart(cur.builder, kind);
    const next = { builder: new PartBuilder(PART_ALIGNMENT[kind]), index: finished.length };
    finished.push(Promise.resolve(null as never)); // reserve the index
    open.set(kind, next);
    return next;
  };
  const note = (item: { path: string; checksum: string }, how: SendMethod, bytes: number, part: number | null): void => {
    contributions.push({ path: item.path, checksum: item.checksum, how, bytes, part });
  };

  // As ostree: bigger than min-fallback-size (strictly).
  const isBig = (f: ContentItem): boolean => minFallbackSize > 0 && f.size > minFallbackSize;
  const whole = (f: ContentItem): void => {
    if (isBig(f)) {
      fallbacks.push({ type: 'file', checksum: f.checksum, size: f.storedSize, usize: f.size });
      note(f, 'fallback', f.storedSize, null);
      return;
    }
    const data = readContentObject(repo, f.checksum).data;
    const part = partFor(classifyContent(data, f.incompressible), f.size);
    part.builder.addWhole(f.checksum, f.meta, data);
    note(f, 'whole', f.size, part.index);
  };
  for (const f of plan.files) {
    const patch = f.patch ? await f.patch : null;
    if (!patch || (isBig(f) && patch.estimate > f.compressedSize * BIG_PATCH_GAIN)) {
      whole(f);
      continue;
    }
    const part = partFor(f.incompressible ? 'incompressible' : 'data', patch.patch.length);
    part.builder.addPatch(f.checksum, f.meta, f.size, f.from!, patch.patch);
    note(f, 'bsdiff', patch.patch.length, part.index);
  }
  for (const s of plan.symlinks) {
    const target = Buffer.from(s.meta.symlinkTarget);
    const part = partFor('data', target.length);
    part.builder.addWhole(s.checksum, s.meta, target);
    note(s, 'symlink', target.length, part.index);
  }
  // Deepest directories first, the root tree last.
  for (const m of [...plan.metadata].reverse()) {
    const bytes = repo.readMetadata(m.checksum, m.type);
    const part = partFor('data', bytes.length);
    part.builder.addMetadata(m.type, m.checksum, bytes);
    note({ path: `(${m.type})`, checksum: m.checksum }, 'metadata', bytes.length, part.index);
  }
  for (const [kind, cur] of open) finished[cur.index] = compressPart(cur.builder, kind);
  return { parts: await Promise.all(finished), fallbacks, contributions };
}
