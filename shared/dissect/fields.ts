// The field registry. Each dissector declares its fields once, in a table; the tree, the hex
// highlight, the columns, the CLI `fields` command and the display filters all read that table.
import type { DisplayBase, FieldDef, FieldType, LayerPlace } from './types';

export interface FieldSpec {
  name: string;
  type: FieldType;
  base?: DisplayBase;
  mask?: number;
  vals?: Readonly<Record<number, string>>;
  tf?: readonly [string, string];
  blurb?: string;
}

export interface ProtocolInfo {
  abbrev: string;
  name: string;
  place: LayerPlace | null;
}

const byAbbrev = new Map<string, FieldDef>();
const protocols = new Map<string, ProtocolInfo>();

function defaultBase(type: FieldType): DisplayBase {
  switch (type) {
    case 'u8':
    case 'u16':
    case 'u24':
    case 'u32':
    case 'u64':
    case 'i8':
    case 'i16':
    case 'i32':
    case 'i64':
    case 'framenum':
      return 'dec';
    default:
      return 'none';
  }
}

export type FieldSet<K extends string> = { readonly [P in K]: FieldDef } & { readonly $proto: FieldDef };

/**
 * Declares a protocol and its fields. Keys are the part after the protocol name
 * (`'flags.syn'` → `tcp.flags.syn`); `''` is not allowed, the protocol itself is `$proto`.
 * Declaring the same abbreviation twice with a different type is a programming error and throws
 * at module load, so the registry never holds two meanings for one filter name.
 */
export function defineFields<K extends string>(
  proto: string,
  longName: string,
  place: LayerPlace | null,
  specs: { readonly [P in K]: FieldSpec },
): FieldSet<K> {
  protocols.set(proto, { abbrev: proto, name: longName, place });
  const out: Record<string, FieldDef> = {};
  out.$proto = register({ abbrev: proto, name: longName, type: 'protocol', base: 'none', mask: 0, proto });
  for (const key of Object.keys(specs) as K[]) {
    const s = specs[key];
    const abbrev = key.startsWith('=') ? key.slice(1) : `${proto}.${key}`;
    out[key] = register({
      abbrev,
      name: s.name,
      type: s.type,
      base: s.base ?? defaultBase(s.type),
      mask: s.mask ?? 0,
      vals: s.vals,
      tf: s.tf,
      blurb: s.blurb,
      proto,
    });
  }
  return out as FieldSet<K>;
}

function register(def: FieldDef): FieldDef {
  const prev = byAbbrev.get(def.abbrev);
  if (prev) {
    if (prev.type !== def.type)
      throw new Error(`field ${def.abbrev} declared twice with types ${prev.type} and ${def.type}`);
    return prev;
  }
  byAbbrev.set(def.abbrev, Object.freeze(def));
  return def;
}

export function fieldByAbbrev(abbrev: string): FieldDef | undefined {
  return byAbbrev.get(abbrev);
}

export function protocolInfo(abbrev: string): ProtocolInfo | undefined {
  return protocols.get(abbrev);
}

export function allFields(): FieldDef[] {
  return [...byAbbrev.values()];
}

export function allProtocols(): ProtocolInfo[] {
  return [...protocols.values()];
}
