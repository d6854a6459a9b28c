// Where a statement or a recorded value comes from. Lines of files carry file:line;
// everything else (schema defaults, the environment, the command line) a label.

export interface Location {
  readonly file: string;
  readonly line: number;
}

export type Origin = Location | { readonly source: string };

export const isLocation = (o: Origin): o is Location => 'file' in o;

export function describeOrigin(o: Origin): string {
  return isLocation(o) ? `${o.file}:${o.line}` : `[${o.source}]`;
}
