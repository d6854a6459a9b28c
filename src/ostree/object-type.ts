// Object types and their loose-object file names (ostree-core.h, _ostree_loose_path).

export type ObjectType = 'file' | 'dirtree' | 'dirmeta' | 'commit' | 'tombstone-commit' | 'commitmeta';

/** Numeric codes used on the wire (delta part object lists, fallbacks). */
export const OBJECT_TYPE_CODES: Record<ObjectType, number> = {
  file: 1,
  dirtree: 2,
  dirmeta: 3,
  commit: 4,
  'tombstone-commit': 5,
  commitmeta: 6,
};

export type RepoMode = 'archive' | 'bare' | 'bare-user' | 'bare-user-only';

/** objects/XX/<rest>.<ext>, relative to the repository. */
export function looseObjectPath(checksum: string, type: ObjectType, mode: RepoMode): string {
  const ext = type === 'file' && mode === 'archive' ? 'filez' : type;
  return `objects/${checksum.slice(0, 2)}/${checksum.slice(2)}.${ext}`;
}
