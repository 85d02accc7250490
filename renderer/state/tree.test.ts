// Tree helpers on real dissections (the project's engine over a real capture).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFile } from '../../tests/support/dissect-file';
import { fieldAtByte, findByAbbrev, itemAtPath, refKey, resolveRef, sameRef, walkItems } from './tree';

const root = resolve(import.meta.dirname, '../..');
const { frames } = dissectFile(join(root, 'tests/fixtures/captures/lo-mixed.pcap'));
const syn = frames[12];
const tcp = syn.layers.findIndex((l) => l.proto === 'tcp');

describe('tree helpers', () => {
  it('every drawn item with bytes is found again from any of its bytes, or by a narrower item inside it', () => {
    walkItems(syn, (it, ref, layer) => {
      if (it.generated || it.length === 0) return;
      for (let o = it.offset; o < it.offset + it.length; o++) {
        const got = fieldAtByte(syn, layer.source ?? 0, o)!;
        const hit = resolveRef(syn, got)!;
        expect(hit.offset).toBeLessThanOrEqual(o);
        expect(hit.offset + hit.length).toBeGreaterThan(o);
        // A whole field may win over a narrower bit field; never over a narrower whole field.
        if (!it.mask) expect(hit.length, `${it.abbrev} @${o} → ${hit.abbrev}`).toBeLessThanOrEqual(it.length);
        if (sameRef(got, ref)) expect(hit.abbrev).toBe(it.abbrev);
      }
    });
  });

  it('a byte of the Ethernet destination selects the address, not its LG bit or its eth.addr twin', () => {
    for (const o of [0, 1, 5]) expect(resolveRef(syn, fieldAtByte(syn, 0, o)!)?.abbrev).toBe('eth.dst');
  });

  it('a byte shared by bit fields selects the first of them (IP version and header length)', () => {
    const ip = syn.layers.find((l) => l.proto === 'ip')!;
    expect(resolveRef(syn, fieldAtByte(syn, 0, ip.offset)!)?.abbrev).toBe('ip.version');
    const ttl = ip.items.find((i) => i.abbrev === 'ip.ttl')!;
    expect(resolveRef(syn, fieldAtByte(syn, 0, ttl.offset)!)?.abbrev).toBe('ip.ttl');
  });

  it('a byte outside every item falls back to no field; past the frame, to nothing', () => {
    expect(fieldAtByte(syn, 0, syn.layers[0].length + 5)).toBeNull();
    expect(fieldAtByte(syn, 3, 0)).toBeNull();
  });

  it('resolves layers and items, and refuses paths that are not there', () => {
    expect(resolveRef(syn, { layer: tcp, path: [] })).toMatchObject({
      abbrev: 'tcp',
      offset: syn.layers[tcp].offset,
      length: syn.layers[tcp].length,
    });
    const ref = findByAbbrev(syn, 'tcp.flags.syn')!;
    expect(itemAtPath(syn.layers[ref.layer], ref.path)?.value).toBe(true);
    expect(resolveRef(syn, ref)).toMatchObject({ abbrev: 'tcp.flags.syn', length: 1 });
    expect(resolveRef(syn, { layer: tcp, path: [999] })).toBeNull();
    expect(resolveRef(syn, { layer: 99, path: [] })).toBeNull();
    expect(refKey(ref)).toBe([ref.layer, ...ref.path].join('/'));
  });

  it('findByAbbrev falls back to the layer of that protocol, and to nothing', () => {
    expect(findByAbbrev(syn, 'ip')).toEqual({
      layer: syn.layers.findIndex((l) => l.proto === 'ip'),
      path: [],
    });
    expect(findByAbbrev(syn, 'http.request')).toBeNull();
    expect(findByAbbrev(syn, '')).toBeNull();
  });
});
