// Dissector goldens: for chosen frames of the fixture captures, one text line per tree item of
// one protocol's layers, so that any change to what a dissector shows (value, range, mask, label,
// expert note) appears as a reviewable diff. The line format:
//
//   <indent>abbrev value @offset+length [mask=0x…] [generated] [hidden] "tree label"
//
// `value` is the `-T fields` text (tshark's form); text-only nodes have abbrev `-`; expert notes
// are `_ws.expert severity/group`. A layer opens with `proto @offset+length` and its summary.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fieldByAbbrev } from '../../shared/dissect/fields';
import { fieldsText } from '../../shared/dissect/format';
import type { Dissection, Item, Layer } from '../../shared/dissect/types';
import { dissectFile } from '../support/dissect-file';
import { FIXTURE_DIR } from '../tshark/fixture-list';
import { goldenManifest, type GoldenCase } from './manifest';

export const GOLDEN_DIR = import.meta.dirname;

/** Values longer than this (payload bytes) are cut, with their full length noted. */
const MAX_VALUE = 64;

function valueText(it: Item): string {
  const def = fieldByAbbrev(it.abbrev);
  let v = def ? fieldsText(def, it.value) : String(it.value ?? '');
  if (v.length > MAX_VALUE) v = `${v.slice(0, MAX_VALUE)}…(${v.length} chars)`;
  return v === '' ? '""' : v.includes(' ') ? JSON.stringify(v) : v;
}

function range(offset: number, length: number, source?: number): string {
  return `@${source ? `src${source}:` : ''}${offset}+${length}`;
}

function itemLines(items: readonly Item[], depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  for (const it of items) {
    const parts: string[] = [];
    if (it.expert) {
      parts.push(
        `_ws.expert ${it.expert.severity}/${it.expert.group}`,
        range(it.offset, it.length, it.source),
        JSON.stringify(it.expert.message),
      );
    } else if (!it.abbrev) {
      parts.push('-', range(it.offset, it.length, it.source), JSON.stringify(it.label));
    } else {
      parts.push(it.abbrev, valueText(it), range(it.offset, it.length, it.source));
      if (it.mask) parts.push(`mask=0x${(it.mask >>> 0).toString(16)}`);
      if (it.generated) parts.push('generated');
      if (it.hidden) parts.push('hidden');
      parts.push(JSON.stringify(it.label));
    }
    out.push(pad + parts.join(' '));
    if (it.children?.length) itemLines(it.children, depth + 1, out);
  }
}

function layerLines(l: Layer, out: string[]): void {
  const flags = [l.malformed ? 'malformed' : '', l.truncated ? 'truncated' : ''].filter(Boolean).join(' ');
  out.push(
    `${l.proto} ${range(l.offset, l.length, l.source)} header=${l.headerLength}${flags ? ' ' + flags : ''} ${JSON.stringify(l.summary)}`,
  );
  itemLines(l.items, 1, out);
}

/** The golden text of one case: the given protocols' layers in the chosen frames. */
export function renderCase(c: GoldenCase, frames: readonly Dissection[]): string {
  const out: string[] = [
    `# ${c.protos.join(', ')} layers of ${c.file}, frames ${c.frames.join(', ')} — ${c.why}`,
    '# abbrev value @offset+length [mask] [generated] [hidden] "label"; regenerate with: npm run golden -- --update',
  ];
  for (const n of c.frames) {
    const d = frames[n - 1];
    out.push('', `## frame ${n}`);
    if (!d) {
      out.push('(no such frame)');
      continue;
    }
    const layers = d.layers.filter((l) => c.protos.includes(l.proto));
    if (!layers.length)
      out.push(`(no ${c.protos.join('/')} layer; frame.protocols ${d.protocols.join(':')})`);
    for (const l of layers) layerLines(l, out);
  }
  return out.join('\n') + '\n';
}

export function goldenPath(c: GoldenCase): string {
  return join(GOLDEN_DIR, c.dir, `${c.file.replace(/\.(pcap|pcapng)$/, '')}.txt`);
}

const cache = new Map<string, Dissection[]>();

/** Dissects a fixture once per process (two passes, with tree, as the app does on selection). */
export function fixtureFrames(file: string): Dissection[] {
  let f = cache.get(file);
  if (!f) {
    f = dissectFile(join(FIXTURE_DIR, file)).frames;
    cache.set(file, f);
  }
  return f;
}

export interface GoldenResult {
  c: GoldenCase;
  path: string;
  text: string;
  committed: string | null;
}

/** Every case of the manifest (or those of the named protocols/dirs), rendered now and as committed. */
export function runGoldens(only: readonly string[] = []): GoldenResult[] {
  return goldenManifest
    .filter((c) => only.length === 0 || only.includes(c.dir) || c.protos.some((p) => only.includes(p)))
    .map((c) => {
      const path = goldenPath(c);
      return {
        c,
        path,
        text: renderCase(c, fixtureFrames(c.file)),
        committed: existsSync(path) ? readFileSync(path, 'utf8') : null,
      };
    });
}
