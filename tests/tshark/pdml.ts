// tshark's PDML for chosen frames: every field's byte range (pos, size) and tree label (showname),
// which `-T fields` does not show. The golden test checks Wirescope's ranges and labels against it.
import { execFileSync } from 'node:child_process';
import { tsharkPath } from '../support/tshark';

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
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e] ?? m;
  });
}

/** PDML nodes per frame number, for the given frames (tshark -2, as the differential runs it). */
export function pdmlFrames(file: string, frames: readonly number[], disabled: readonly string[] = []): Map<number, PdmlNode[]> {
  const args = ['-n', '-2', '-r', file, '-T', 'pdml', '-Y', `frame.number in {${frames.join(', ')}}`];
  for (const p of disabled) args.push('--disable-protocol', p);
  const xml = execFileSync(tsharkPath, args, {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
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
