// Which kind of part an object goes into, and how each kind is compressed.
// Machine code compresses better after a branch-conversion (BCJ) filter for
// its instruction set; xz's x86, ARM and ARM-Thumb filters are in every
// liblzma since 5.0, so any client decodes them (ARM64's is too recent to
// rely on). Already-compressed data gets the cheapest preset: xz cannot
// shrink it, only spend time trying.

export type PartClass = 'data' | 'incompressible' | 'arm' | 'x86';

/** An xz filter chain: an optional branch filter, then LZMA2 at a preset with tweaks. */
export interface XzChain {
  bcj?: '--x86' | '--arm' | '--armthumb';
  preset: number;
  /** Extra LZMA2 options, e.g. "lp=1,pb=1" for 2-byte aligned instructions. */
  tweaks?: string;
}

export function xzArgs(chain: XzChain, preset = chain.preset): string[] {
  return [...(chain.bcj ? [chain.bcj] : []), `--lzma2=preset=${preset}${chain.tweaks ? `,${chain.tweaks}` : ''}`];
}

/** Candidate chains per class; the best on a sample wins. ostree itself uses preset 8. */
export const PART_COMPRESSION: Record<PartClass, XzChain[]> = {
  data: [{ preset: 8 }],
  incompressible: [{ preset: 0 }],
  // armhf code is mostly Thumb-2 (2-byte aligned), older ARM code 4-byte ARM.
  arm: [
    { bcj: '--armthumb', preset: 8, tweaks: 'lp=1,pb=1' },
    { bcj: '--arm', preset: 8, tweaks: 'lc=2,lp=2,pb=2' },
  ],
  x86: [{ bcj: '--x86', preset: 8 }],
};

/** Object start alignment in the part: ARM instructions are 4 bytes, Thumb 2. */
export const PART_ALIGNMENT: Record<PartClass, number> = { data: 1, incompressible: 1, arm: 4, x86: 1 };

const EM_386 = 3;
const EM_ARM = 40;
const EM_X86_64 = 62;

/** The class of a regular file's content. */
export function classifyContent(data: Buffer, incompressible: boolean): PartClass {
  if (incompressible) return 'incompressible';
  // ELF: magic, then e_machine at offset 18 in the file's own byte order (EI_DATA).
  if (data.length >= 20 && data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46) {
    const machine = data[5] === 2 ? data.readUInt16BE(18) : data.readUInt16LE(18);
    if (machine === EM_ARM) return 'arm';
    if (machine === EM_386 || machine === EM_X86_64) return 'x86';
  }
  return 'data';
}
