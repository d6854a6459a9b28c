// The configuration files of a build, read in BitBake's order (bitbake
// lib/bb/cookerdata.py, oe-core meta/conf/bitbake.conf): conf/bblayers.conf, each
// layer's conf/layer.conf, the defaults at the head of bitbake.conf, conf/site.conf,
// conf/auto.conf, conf/toolcfg.conf, conf/local.conf, the machine and distro files,
// the defaults at the tail of bitbake.conf, extra files (like `bitbake -R`), then the
// classes' defaults. bitbake.conf and the classes are not read (the classes are recipe
// syntax); the schema holds the defaults they set.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { DataStore } from './datastore.js';
import { evaluateStatements } from './evaluate.js';
import { ConfReader, joinPath } from './include.js';
import type { Origin } from './origin.js';
import { parseConf, type Statement } from './parser.js';
import { pySplit } from './pystr.js';
import { SETTINGS, type DefaultPhase } from './schema.js';

export interface Pin {
  readonly name: string;
  readonly value: string;
  /** e.g. "environment", "--set", "--branch". */
  readonly source: string;
}

export interface LoadOptions {
  /** TOPDIR and what set it ("--builddir", "current directory"). */
  readonly topdir: { readonly path: string; readonly source: string };
  /** Whether TOPDIR is a build directory whose conf/ files are to be read. */
  readonly readBuildDir: boolean;
  /** Absolute paths of further files, read after the build directory's. */
  readonly extraFiles: readonly string[];
  /** Values that win over the files, in increasing precedence. */
  readonly pins: readonly Pin[];
}

export interface LoadedConfiguration {
  readonly store: DataStore;
  readonly warnings: string[];
}

const BUILD_DIR_FILES = ['site.conf', 'auto.conf', 'toolcfg.conf', 'local.conf'];

/** Characters Python's re.escape() escapes (LAYERDIR_RE). */
const pyReEscape = (s: string): string => s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, '\\$&');

/** The schema's default statements, by the point of BitBake's reading order where they apply. */
function defaultStatements(): Record<DefaultPhase, Statement<Origin>[]> {
  const phases: Record<DefaultPhase, Statement<Origin>[]> = { 'bitbake.conf head': [], 'bitbake.conf tail': [], classes: [] };
  for (const setting of SETTINGS) {
    for (const { statement, file, phase } of setting.defaults) {
      const loc = { source: `default from ${file}`, isDefault: true };
      phases[phase].push(...parseConf(statement, file).statements.map((st) => ({ ...st, loc })));
    }
  }
  return phases;
}

function readLayers(reader: ConfReader, store: DataStore, bblayers: string): void {
  const layers = pySplit(store.getVar('BBLAYERS') ?? '');
  if (layers.length === 0) throw new UserError(`${bblayers}: The bblayers.conf file doesn't contain any BBLAYERS definition`);
  const missing = layers.filter((layer) => !fs.statSync(layer, { throwIfNoEntry: false })?.isDirectory());
  if (missing.length > 0) throw new UserError(`The following layer directories do not exist: ${missing.join(' ')}. Please check BBLAYERS in ${bblayers}`);
  const origin = { source: bblayers };
  for (const entry of layers) {
    const layer = entry.replace(/\/+$/, '');
    store.setVar('LAYERDIR', layer, { parsing: true });
    store.setVar('LAYERDIR_RE', pyReEscape(layer), { parsing: true });
    reader.readFile(joinPath(layer, 'conf/layer.conf'), true, origin);
    // Each layer.conf refers to its own directory: freeze ${LAYERDIR} before the next.
    store.expandVarref('LAYERDIR', { source: `LAYERDIR of ${layer}` });
    store.expandVarref('LAYERDIR_RE', { source: `LAYERDIR_RE of ${layer}` });
  }
  store.delVar('LAYERDIR_RE');
  store.delVar('LAYERDIR');
}

export function loadConfiguration(options: LoadOptions): LoadedConfiguration {
  const store = new DataStore();
  for (const pin of options.pins) store.pin(pin.name, pin.value, { source: pin.source });
  const reader = new ConfReader(store);
  const defaults = defaultStatements();
  const topdir = options.topdir.path;
  const bitbakeConf = { source: 'oe-core meta/conf/bitbake.conf' };

  store.setVar('TOPDIR', topdir, { origin: { source: options.topdir.source } });
  const bblayers = path.join(topdir, 'conf', 'bblayers.conf');
  if (options.readBuildDir && reader.readFile(bblayers, false, bitbakeConf)) readLayers(reader, store, bblayers);
  evaluateStatements(defaults['bitbake.conf head'], store, reader, reader.warnings);
  if (options.readBuildDir) {
    for (const name of BUILD_DIR_FILES) reader.readFile(path.join(topdir, 'conf', name), false, bitbakeConf);
  }
  reader.include('conf/machine/${MACHINE}.conf', bitbakeConf, false);
  reader.include('conf/distro/${DISTRO}.conf', bitbakeConf, false);
  evaluateStatements(defaults['bitbake.conf tail'], store, reader, reader.warnings);
  for (const file of options.extraFiles) reader.readFile(file, true, { source: '--conf' });
  evaluateStatements(defaults.classes, store, reader, reader.warnings);
  const warnings = [...reader.warnings, ...store.expandKeys()];
  return { store, warnings };
}
