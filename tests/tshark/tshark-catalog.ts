// What tshark knows: `tshark -G fields` parsed once per process, so the harness can compare every
// field Wirescope registers that tshark also has, and check types, bases and masks against it.
import { execFileSync } from 'node:child_process';
import type { DisplayBase, FieldType } from '../../shared/dissect/types';
import { tsharkPath } from '../support/tshark';

export interface TsharkField {
  abbrev: string;
  name: string;
  /** FT_UINT16, FT_PROTOCOL (for protocols)… */
  ftype: string;
  /** BASE_HEX…, or the bit width of a boolean's parent, '' when none. */
  base: string;
  mask: bigint;
}

let catalog: Map<string, TsharkField> | null = null;

/** Every field and protocol tshark registers, by filter name (empty when tshark is missing). */
export function tsharkCatalog(): Map<string, TsharkField> {
  if (catalog) return catalog;
  catalog = new Map();
  if (!tsharkPath) return catalog;
  const out = execFileSync(tsharkPath, ['-G', 'fields'], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  for (const line of out.split('\n')) {
    const c = line.split('\t');
    if (c[0] === 'P')
      catalog.set(c[2], { abbrev: c[2], name: c[1], ftype: 'FT_PROTOCOL', base: '', mask: 0n });
    else if (c[0] === 'F')
      catalog.set(c[2], {
        abbrev: c[2],
        name: c[1],
        ftype: c[3],
        base: c[5] ?? '',
        mask: BigInt(c[6] || '0'),
      });
  }
  return catalog;
}

/** Wirescope's field type for a tshark FT_*; `null` when there is none. */
export function ftypeOf(ft: string): FieldType | null {
  const map: Record<string, FieldType> = {
    FT_NONE: 'none',
    FT_PROTOCOL: 'protocol',
    FT_BOOLEAN: 'bool',
    FT_UINT8: 'u8',
    FT_UINT16: 'u16',
    FT_UINT24: 'u24',
    FT_UINT32: 'u32',
    FT_UINT64: 'u64',
    FT_INT8: 'i8',
    FT_INT16: 'i16',
    FT_INT32: 'i32',
    FT_INT64: 'i64',
    FT_FLOAT: 'float',
    FT_DOUBLE: 'double',
    FT_IPv4: 'ipv4',
    FT_IPv6: 'ipv6',
    FT_ETHER: 'ether',
    FT_BYTES: 'bytes',
    FT_STRING: 'string',
    FT_STRINGZ: 'string',
    FT_ABSOLUTE_TIME: 'abs_time',
    FT_RELATIVE_TIME: 'rel_time',
    FT_FRAMENUM: 'framenum',
    FT_GUID: 'guid',
    FT_OID: 'oid',
  };
  return map[ft] ?? null;
}

/** Wirescope's display base for a tshark BASE_*, for integer fields; `null` when it has none. */
export function baseOf(b: string): DisplayBase | null {
  const map: Record<string, DisplayBase> = {
    BASE_DEC: 'dec',
    BASE_HEX: 'hex',
    BASE_OCT: 'oct',
    BASE_DEC_HEX: 'dec_hex',
    BASE_HEX_DEC: 'hex_dec',
    BASE_NONE: 'none',
  };
  return map[b] ?? null;
}

let decodes: Map<string, Map<string, string>> | null = null;

/** tshark's dissector tables (`tshark -G decodes`): table → selector → protocol, e.g. tcp.port → 7000 → gryphon. */
export function tsharkDecodes(): Map<string, Map<string, string>> {
  if (decodes) return decodes;
  decodes = new Map();
  if (!tsharkPath) return decodes;
  const out = execFileSync(tsharkPath, ['-G', 'decodes'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  for (const line of out.split('\n')) {
    const [table, selector, proto] = line.split('\t');
    if (!proto) continue;
    let t = decodes.get(table);
    if (!t) decodes.set(table, (t = new Map()));
    t.set(selector, proto);
  }
  return decodes;
}
