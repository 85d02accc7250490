// tshark's PDML for chosen frames: every field's byte range (pos, size) and tree label (showname),
// which `-T fields` does not show. The golden test checks Wirescope's ranges and labels against it.
import { execFileSync } from 'node:child_process';
import type { Dissection, Item } from '../../shared/dissect/types';
import { tsharkPath } from '../support/tshark';
import { knownTreeDifference } from './known-differences';
import { tsharkCatalog } from './tshark-catalog';

export interface PdmlNode {
  kind: 'proto' | 'field';
  name: string;
  pos: number;
  size: number;
  showname: string;
  hidden: boolean;
}

const ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return ENTITIES[e] ?? m;
  });
}

/** PDML nodes per frame number, for the given frames or all (tshark -2, as the differential runs it). */
export function pdmlFrames(
  file: string,
  frames: readonly number[] | null,
  disabled: readonly string[] = [],
): Map<number, PdmlNode[]> {
  const args = ['-n', '-2', '-r', file, '-T', 'pdml'];
  if (frames) args.push('-Y', `frame.number in {${frames.join(', ')}}`);
  for (const p of disabled) args.push('--disable-protocol', p);
  let xml: string;
  try {
    xml = execFileSync(tsharkPath, args, {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    // A damaged file: tshark has printed every packet before the damage, then failed.
    const out = (e as { stdout?: string }).stdout;
    if (!out) throw e;
    xml = out;
  }
  const out = new Map<number, PdmlNode[]>();
  for (const packet of xml.split('<packet>').slice(1)) {
    let frame = 0;
    const nodes: PdmlNode[] = [];
    for (const m of packet.matchAll(/<(proto|field)\s([^>]*?)\/?>/g)) {
      const attrs: Record<string, string> = {};
      for (const a of m[2].matchAll(/([\w.-]+)="([^"]*)"/g)) attrs[a[1]] = unescapeXml(a[2]);
      if (m[1] === 'field' && attrs.name === 'num' && !frame) frame = Number(attrs.show);
      nodes.push({
        kind: m[1] as 'proto' | 'field',
        name: attrs.name ?? '',
        pos: Number(attrs.pos ?? 0),
        size: Number(attrs.size ?? 0),
        showname: attrs.showname ?? attrs.show ?? '',
        hidden: attrs.hide === 'yes',
      });
    }
    out.set(frame, nodes);
  }
  return out;
}

export interface TreeComparison {
  problems: string[];
  /** Tree lines that differ but are listed in known-differences.ts. */
  excused: number;
}

function walk(items: readonly Item[], out: Item[]): Item[] {
  for (const it of items) {
    out.push(it);
    if (it.children) walk(it.children, out);
  }
  return out;
}

/**
 * Wirescope's tree against tshark's PDML, frame by frame: every item that tshark also knows, read
 * from the frame's own bytes (not generated, not from a reassembled source), must sit at the same
 * byte range, and its tree line must equal tshark's unless the item is hidden; a layer's summary
 * must equal tshark's protocol line. `protos` limits the layers compared.
 */
export function compareTree(
  file: string,
  frames: readonly Dissection[],
  pdml: ReadonlyMap<number, PdmlNode[]>,
  numbers: readonly number[],
  protos?: readonly string[],
): TreeComparison {
  const cat = tsharkCatalog();
  const out: TreeComparison = { problems: [], excused: 0 };
  const differs = (abbrev: string, n: number) => {
    if (!knownTreeDifference(file, n, abbrev)) return true;
    out.excused++;
    return false;
  };
  for (const n of numbers) {
    const theirs = pdml.get(n) ?? [];
    const d = frames[n - 1];
    if (!d) {
      out.problems.push(`frame ${n}: Wirescope has no such frame`);
      continue;
    }
    for (const layer of d.layers) {
      if (layer.source || (protos && !protos.includes(layer.proto))) continue;
      const protoNodes = theirs.filter((t) => t.kind === 'proto' && t.name === layer.proto);
      // A whole layer tshark does not have in this frame, listed for this frame: excused as one.
      if (!protoNodes.length && knownTreeDifference(file, n, layer.proto)) {
        out.excused++;
        continue;
      }
      if (
        protoNodes.length &&
        !protoNodes.some((t) => t.showname === layer.summary) &&
        differs(layer.proto, n)
      ) {
        out.problems.push(
          `frame ${n} ${layer.proto} line ${JSON.stringify(layer.summary)}; tshark ${protoNodes.map((t) => JSON.stringify(t.showname)).join(' | ')}`,
        );
      }
      for (const it of walk(layer.items, [])) {
        // Generated items have no bytes of their own (tshark places them anywhere); text-only
        // nodes have no name to match by. The goldens cover both.
        if (it.generated || !it.abbrev || it.source || !cat.has(it.abbrev)) continue;
        const same = theirs.filter((t) => t.kind === 'field' && t.name === it.abbrev);
        const at = `frame ${n} ${it.abbrev} @${it.offset}+${it.length}`;
        if (!same.length) {
          out.problems.push(`${at}: tshark shows no ${it.abbrev} in this frame`);
          continue;
        }
        const ranged = same.filter((t) => t.pos === it.offset && t.size === it.length);
        if (!ranged.length) {
          out.problems.push(`${at}: tshark has it at ${same.map((t) => `@${t.pos}+${t.size}`).join(', ')}`);
          continue;
        }
        if (!it.hidden && !ranged.some((t) => t.showname === it.label) && differs(it.abbrev, n)) {
          out.problems.push(
            `${at} line ${JSON.stringify(it.label)}; tshark ${ranged.map((t) => JSON.stringify(t.showname)).join(' | ')}`,
          );
        }
      }
    }
  }
  return out;
}
