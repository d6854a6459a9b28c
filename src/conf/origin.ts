// Where a statement or a recorded value comes from. Lines of files carry file:line;
// everything else (schema defaults, the environment, the command line) a label.

export interface Location {
  readonly file: string;
  readonly line: number;
}

/** A label; `isDefault` marks the schema's defaults (meta-updater's and oe-core's). */
export type Origin = Location | { readonly source: string; readonly isDefault?: boolean };

export const isLocation = (o: Origin): o is Location => 'file' in o;

/** Whether the user said this (a conf file, the environment, the command line), not a default. */
export const isUserOrigin = (o: Origin): boolean => isLocation(o) || !o.isDefault;

export function describeOrigin(o: Origin): string {
  return isLocation(o) ? `${o.file}:${o.line}` : `[${o.source}]`;
}
