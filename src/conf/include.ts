// Reading .conf files and following include/require/include_all, as BitBake does
// (bitbake lib/bb/parse/parse_py/ConfHandler.py): a relative name is looked for beside
// the including file, then along BBPATH; a missing `include` is silent, a missing
// `require` an error; including a file again only warns. Unlike BitBake, which
// recurses until Python gives up, an include cycle is reported.
import fs from 'node:fs';
import path from 'node:path';
import { getSystemErrorMap } from 'node:util';
import type { DataStore } from './datastore.js';
import { ConfParseError } from './errors.js';
import { evaluateStatements, type IncludeHandler } from './evaluate.js';
import { isLocation, type Origin } from './origin.js';
import { parseConf } from './parser.js';
import { pySplit } from './pystr.js';

const MAX_INCLUDE_DEPTH = 100;
/** Read errors that mean "no such file" (BitBake also treats a directory as missing). */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** Why a file could not be read, in the words of strerror(). */
function describeIoError(e: NodeJS.ErrnoException): string {
  const text = e.errno !== undefined ? getSystemErrorMap().get(e.errno)?.[1] : undefined;
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : e.message;
}

/**
 * Python's os.path.join: no normalisation, so file names (in messages, history and
 * duplicate checks) are spelt as BitBake spells them, `..` and all.
 */
export function joinPath(dir: string, name: string): string {
  if (path.isAbsolute(name) || dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** The first directory of `dirs` where `name` exists (as anything: BitBake's which()). */
function which(dirs: readonly string[], name: string): string | undefined {
  for (const dir of dirs) {
    const candidate = joinPath(dir, name);
    if (fs.existsSync(candidate)) return path.isAbsolute(candidate) ? candidate : path.resolve(candidate);
  }
  return undefined;
}

/** Text of a .conf file; bytes that are not UTF-8 are an error at their line (BitBake crashes there). */
function decode(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const strict = new TextDecoder('utf-8', { fatal: true });
    let line = 1;
    let start = 0;
    for (let nl = bytes.indexOf(0x0a); ; nl = bytes.indexOf(0x0a, start)) {
      const end = nl < 0 ? bytes.length : nl;
      try {
        strict.decode(bytes.subarray(start, end));
      } catch {
        break;
      }
      if (nl < 0) break;
      start = nl + 1;
      line++;
    }
    throw new ConfParseError('not a text file: the line is not valid UTF-8', { file, line });
  }
}

export class ConfReader implements IncludeHandler {
  /** BitBake's warnings, prefixed with their origin. */
  readonly warnings: string[] = [];
  /** Files read so far: reading one again earns BitBake's "Duplicate inclusion" warning. */
  private readonly read = new Set<string>();
  /** The chain of files being read, outermost first: a repeat is an include cycle. */
  private readonly reading: string[] = [];

  constructor(private readonly store: DataStore) {}

  /**
   * Reads `file` (absolute) like `include` (required: false) or `require`, for the
   * statement at `from`. Returns whether the file was there.
   */
  readFile(file: string, required: boolean, from: Origin): boolean {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (MISSING.has(err.code ?? '')) {
        if (required) throw new ConfParseError(`Could not include required file ${file}`, from);
        return false;
      }
      const reason = describeIoError(err);
      throw new ConfParseError(required ? `Could not include required file ${file}: ${reason}` : `Error parsing ${file}: ${reason}`, from);
    }
    const cycleStart = this.reading.indexOf(file);
    if (cycleStart >= 0) throw new ConfParseError(`include cycle: ${[...this.reading.slice(cycleStart), file].join(' -> ')}`, from);
    if (this.reading.length >= MAX_INCLUDE_DEPTH) throw new ConfParseError(`includes nested more than ${MAX_INCLUDE_DEPTH} deep`, from);
    const parsed = parseConf(decode(bytes, file), file);
    this.warnings.push(...parsed.warnings);
    this.read.add(file);
    this.reading.push(file);
    // FILE names the file being evaluated, as in BitBake.
    const parentFile = this.store.getVar('FILE', { expand: false });
    this.store.setVar('FILE', file, { parsing: true });
    try {
      evaluateStatements(parsed.statements, this.store, this, this.warnings);
    } finally {
      this.reading.pop();
      if (parentFile !== undefined) this.store.setVar('FILE', parentFile, { parsing: true });
    }
    return true;
  }

  include(files: string, origin: Origin, required: boolean): void {
    const parent = isLocation(origin) ? origin.file : undefined;
    for (const name of pySplit(this.store.expand(files))) this.includeOne(name, parent, origin, required);
  }

  includeAll(files: string, origin: Origin): void {
    const name = this.store.expand(files);
    for (const dir of this.searchPath()) this.include(joinPath(dir, name), origin, false);
  }

  /** BBPATH's directories; BitBake would also try "None" and '' (the working directory) here. */
  private searchPath(): string[] {
    return (this.store.getVar('BBPATH') ?? '').split(':').filter((dir) => dir !== '');
  }

  private includeOne(name: string, parent: string | undefined, origin: Origin, required: boolean): void {
    if (name === parent) return; // BitBake's guard against a file including itself by its own path
    let file = name;
    if (!path.isAbsolute(name)) {
      const found = which([...(parent ? [path.dirname(parent)] : []), ...this.searchPath()], name);
      if (!found) {
        if (required) throw new ConfParseError(`Could not include required file ${name}`, origin);
        return;
      }
      file = found;
    }
    if (this.read.has(file)) this.warnings.push(`Duplicate inclusion for ${file} in ${isLocation(origin) ? origin.file : origin.source}`);
    this.readFile(file, required, origin);
  }
}
