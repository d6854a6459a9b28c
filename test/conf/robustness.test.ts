// Bad input never crashes the reader: binary garbage, mutated confs, an empty file
// and a 10 MB conf end in values or in a UserError; syntax errors carry file:line.
// Random input comes from a fixed seed, so failures reproduce.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ConfParseError, ExpansionError } from '../../src/conf/errors.js';
import { SETTINGS } from '../../src/conf/schema.js';
import { resolveSettings } from '../../src/conf/settings.js';
import { UserError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/tmp.js';
import { POKY_BUILD } from './poky-fixture.js';

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLE = [
  POKY_BUILD['build/conf/local.conf'],
  'export A = "1"\nB[doc] ??= "x"\nC := "${A}"\nD:append:mx6 = " y"\nunset E\nF = "${@d.getVar(\'A\') or \'\'}"\nG = "one \\\n  two"\n# comment\ninclude other.inc\n',
].join('');
const NOISE = ['"', "'", '\\', '#', '$', '{', '}', ':', '=', '?', '+', '.', '[', ']', '@', ' ', '\t', '\n', '\r', 'A', '_append', '${', '${@', 'require ', '\x00', '\u00e9'];

/** Resolves `file` as a --conf file, reads every schema variable; returns the error, if any. */
function resolveAndRead(file: string, cwd: string): unknown {
  try {
    const settings = resolveSettings({ conf: [file] }, { SOTA_SKIP_CRED_WARN: '1' }, cwd);
    for (const { name } of SETTINGS) {
      try {
        settings.get(name);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
      }
    }
    return undefined;
  } catch (e) {
    return e;
  }
}

/** The property: no error, or a UserError; errors of the file itself name file:line. */
function assertHandled(error: unknown, file: string, input: string | Buffer): void {
  if (error === undefined) return;
  const shown = JSON.stringify(String(input).slice(0, 300));
  assert.ok(error instanceof UserError, `crashed on ${shown}: ${(error as Error)?.stack}`);
  if (error instanceof ConfParseError && error.message.startsWith(file)) {
    assert.match(error.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: `), shown);
  }
  if (error instanceof ExpansionError) assert.ok(error.origin, `unlocated expansion error on ${shown}: ${error.message}`);
}

describe('robustness', function () {
  this.timeout(20000);
  let tmp: ReturnType<typeof makeTempDir>;
  before(() => tmp = makeTempDir('conf-robust-'));
  after(() => tmp.remove());

  it('an empty file resolves to the defaults', () => {
    const file = `${tmp.path}/empty.conf`;
    fs.writeFileSync(file, '');
    assert.equal(resolveAndRead(file, tmp.path), undefined);
  });

  it('binary garbage ends in a UserError at a line, never a crash', () => {
    const next = random(1);
    const file = `${tmp.path}/garbage.conf`;
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(next() * 2048) }, () => Math.floor(next() * 256)));
      fs.writeFileSync(file, bytes);
      assertHandled(resolveAndRead(file, tmp.path), file, bytes);
    }
  });

  it('mutated confs end in values or a UserError, never a crash', () => {
    const next = random(2);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const file = `${tmp.path}/mutated.conf`;
    fs.writeFileSync(`${tmp.path}/other.inc`, 'OTHER = "1"\n');
    for (let i = 0; i < 300; i++) {
      let text = SAMPLE;
      for (let m = 1 + Math.floor(next() * 4); m > 0; m--) {
        const at = Math.floor(next() * text.length);
        const cut = next() < 0.5 ? Math.floor(next() * 4) : 0;
        text = text.slice(0, at) + (cut === 0 || next() < 0.5 ? pick(NOISE) : '') + text.slice(at + cut);
      }
      fs.writeFileSync(file, text);
      assertHandled(resolveAndRead(file, tmp.path), file, text);
    }
  });

  it('reads a 10 MB conf', () => {
    const file = `${tmp.path}/big.conf`;
    const lines: string[] = [];
    for (let size = 0, i = 0; size < 10 * 1024 * 1024; i++) {
      const line = i % 10 === 0 ? `BIG:append = " w${i}"` : `VAR_${i} = "${'word '.repeat(100)}\\\n  \${VAR_${i - 1}}"`;
      lines.push(line);
      size += line.length + 1;
    }
    lines.push('OSTREE_BRANCHNAME = "big"');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const settings = resolveSettings({ conf: [file] }, {}, tmp.path);
    assert.equal(settings.get('OSTREE_BRANCHNAME'), 'big');
    assert.equal(settings.list('BIG').length, Math.ceil((lines.length - 1) / 10));
  });

  it('a 10 MB line of garbage is one unparsed line', () => {
    const file = `${tmp.path}/bigline.conf`;
    fs.writeFileSync(file, 'A = "ok"\n' + 'x= "'.repeat(2.5 * 1024 * 1024) + 'x\n');
    assert.throws(() => resolveSettings({ conf: [file] }, {}, tmp.path), (e: unknown) => e instanceof ConfParseError && e.message.startsWith(`${file}:2: unparsed line: 'x= "x= "`));
  });
});
