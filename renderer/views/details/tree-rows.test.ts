// Tree rows over real dissections (the project's engine over a real capture).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFile } from '../../../tests/support/dissect-file';
import { allKinds, ancestorKinds, rangeText, treeRows } from './tree-rows';

const root = resolve(import.meta.dirname, '../../..');
const { frames } = dissectFile(join(root, 'tests/fixtures/captures/lo-mixed.pcap'));
const syn = frames[12];

describe('tree rows', () => {
  it('collapsed: one row per layer, level 1, each with its set position', () => {
    const rows = treeRows(syn, new Set());
    expect(rows.map((r) => [r.abbrev, r.level, r.posInSet, r.setSize, r.expanded])).toEqual(
      syn.layers.map((l, i) => [l.proto, 1, i + 1, syn.layers.length, false]),
    );
  });

  it('opening a kind shows its drawn children (hidden ones never), and keeps parents right', () => {
    const rows = treeRows(syn, new Set(['tcp', 'tcp>tcp.flags']));
    const tcpAt = rows.findIndex((r) => r.abbrev === 'tcp' && r.level === 1);
    const flags = rows.find((r) => r.abbrev === 'tcp.flags')!;
    expect(flags.level).toBe(2);
    expect(flags.expanded).toBe(true);
    expect(rows[flags.parent].abbrev).toBe('tcp');
    expect(rows.filter((r) => r.abbrev === 'tcp.port')).toEqual([]);
    const syn1 = rows.find((r) => r.abbrev === 'tcp.flags.syn')!;
    expect(syn1.level).toBe(3);
    expect(rows[syn1.parent]).toBe(flags);
    expect(rows.slice(tcpAt + 1).every((r) => r.level >= 2)).toBe(true);
  });

  it('Expand all opens every subtree; the same kinds open the same nodes in the next packet', () => {
    const all = new Set(allKinds(syn));
    const rows = treeRows(syn, all);
    expect(rows.every((r) => !r.hasChildren || r.expanded)).toBe(true);
    const synAck = treeRows(frames[13], all);
    expect(synAck.find((r) => r.abbrev === 'tcp.flags')?.expanded).toBe(true);
  });

  it('ancestor kinds name the subtrees that hold a field', () => {
    const rows = treeRows(syn, new Set(allKinds(syn)));
    const fin = rows.find((r) => r.abbrev === 'tcp.flags.fin')!;
    expect(ancestorKinds(syn, fin.ref)).toEqual(['tcp', 'tcp>tcp.flags']);
  });

  it('says where a field sits, or that it is computed', () => {
    expect(rangeText(22, 1, false)).toBe('byte 22');
    expect(rangeText(34, 2, false)).toBe('bytes 34–35 (2)');
    expect(rangeText(34, 0, true)).toBe('computed, not on the wire');
  });
});
