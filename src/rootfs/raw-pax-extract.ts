// tar-stream decodes PAX records as UTF-8 text, which mangles binary xattr values
// (security.capability is binary). This Extract keeps `SCHILY.xattr.*` values as raw
// bytes and decodes every other record as UTF-8, exactly as PAX defines them.
import * as tarStream from 'tar-stream';

export type PaxRecords = Record<string, string | Buffer>;

/** Parses PAX extended-header records: "<len> <key>=<value>\n", len counting itself. */
export function parsePaxRecords(buf: Buffer): PaxRecords {
  const out: PaxRecords = {};
  let pos = 0;
  while (pos < buf.length) {
    const space = buf.indexOf(0x20, pos);
    if (space < 0) break;
    const len = Number.parseInt(buf.toString('ascii', pos, space), 10);
    if (!(len > 0) || pos + len > buf.length) throw new Error('malformed PAX header record');
    const record = buf.subarray(space + 1, pos + len - 1); // drop the trailing newline
    const eq = record.indexOf(0x3d);
    if (eq < 0) throw new Error('malformed PAX header record');
    const key = record.toString('utf8', 0, eq);
    const value = record.subarray(eq + 1);
    out[key] = key.startsWith('SCHILY.xattr.') ? Buffer.from(value) : value.toString('utf8');
    pos += len;
  }
  return out;
}

type ExtractInternals = {
  _header: { type: string };
  _pax: PaxRecords | null;
  _paxGlobal: PaxRecords | null;
  _decodeLongHeader(buf: Buffer): void;
};

const Extract = tarStream.extract().constructor as unknown as new (opts?: object) => tarStream.Extract;

class RawPaxExtract extends (Extract as unknown as new (opts?: object) => tarStream.Extract & ExtractInternals) {
  override _decodeLongHeader(buf: Buffer): void {
    switch (this._header.type) {
      case 'pax-global-header':
        this._paxGlobal = parsePaxRecords(buf);
        return;
      case 'pax-header':
        this._pax = { ...(this._paxGlobal ?? {}), ...parsePaxRecords(buf) };
        return;
      default:
        super._decodeLongHeader(buf);
    }
  }
}

export function createTarExtract(): tarStream.Extract {
  return new RawPaxExtract();
}
