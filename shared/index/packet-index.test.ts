import { describe, expect, it } from 'vitest';
import { AddrKind } from './intern';
import { BLOCK_SIZE, PacketFlag, PacketIndex, RECORD_BYTES, sharedBuffers } from './packet-index';

function fill(index: PacketIndex, n: number): void {
  const link = index.linkId(0, 1, 6);
  for (let i = 0; i < n; i++) {
    // Offsets past 4 GiB and seconds past 2^32 must come back exactly.
    index.add(
      2 ** 33 + i * 1500,
      2 ** 33 + i,
      (i * 7919) % 1e9,
      60 + (i % 1400),
      60 + (i % 1400) + (i % 3 === 0 ? 10 : 0),
      link,
    );
  }
}

describe('PacketIndex', () => {
  it('grows block by block and reads every column back', () => {
    const index = new PacketIndex();
    const n = BLOCK_SIZE * 2 + 17;
    fill(index, n);
    expect(index.count).toBe(n);
    expect(index.blocks.length).toBe(3);
    expect(index.byteSize).toBe(3 * BLOCK_SIZE * RECORD_BYTES);
    for (const i of [0, 1, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE * 2 + 16]) {
      expect(index.dataOffset(i)).toBe(2 ** 33 + i * 1500);
      expect(index.tsSec(i)).toBe(2 ** 33 + i);
      expect(index.tsNsec(i)).toBe((i * 7919) % 1e9);
      expect(index.caplen(i)).toBe(60 + (i % 1400));
      expect(index.flags(i) & PacketFlag.truncated).toBe(i % 3 === 0 ? PacketFlag.truncated : 0);
      expect(index.src(i)).toBe(-1);
      expect(index.stream(i)).toBe(-1);
    }
    const m = index.meta(BLOCK_SIZE);
    expect(m).toEqual({
      number: BLOCK_SIZE + 1,
      tsSec: 2 ** 33 + BLOCK_SIZE,
      tsNsec: (BLOCK_SIZE * 7919) % 1e9,
      caplen: index.caplen(BLOCK_SIZE),
      origlen: index.origlen(BLOCK_SIZE),
      linktype: 1,
      ifid: 0,
    });
  });

  it('keeps comments sparse and in the frame meta', () => {
    const index = new PacketIndex();
    fill(index, 3);
    index.setComment(1, 'look here');
    expect(index.meta(1).comment).toBe('look here');
    expect(index.meta(0).comment).toBeUndefined();
    expect(index.flags(1) & PacketFlag.comment).toBeTruthy();
  });

  it('interns interface + link type pairs', () => {
    const index = new PacketIndex();
    const a = index.linkId(0, 1, 6);
    const b = index.linkId(1, 113, 9);
    expect(index.linkId(0, 1, 6)).toBe(a);
    expect(index.linkId(1, 113, 9)).toBe(b);
    expect(index.links[b]).toEqual({ ifid: 1, linktype: 113, digits: 9 });
  });

  it('shares blocks with a reader on the other side of a worker, in published steps', () => {
    const writer = new PacketIndex(sharedBuffers);
    const reader = new PacketIndex();
    const mark = { addresses: 0, protocols: 0, links: 0, comments: 0 };
    // What the worker posts: each new block (shared memory, structured-cloned as a worker message
    // would be), then table deltas and the count.
    writer.onBlock = (block, at) => reader.adoptBlock(at, structuredClone(block.buffer));
    fill(writer, 10);
    writer.block(3).src[3] = writer.addresses.v4(0x0a000001);
    writer.setComment(4, 'c');
    reader.applyDelta(writer.tablesDelta(mark));
    reader.publish(writer.count);
    expect(reader.count).toBe(10);
    expect(reader.addresses.text(reader.src(3))).toBe('10.0.0.1');
    expect(reader.meta(4)).toEqual(writer.meta(4));

    fill(writer, BLOCK_SIZE);
    writer.addresses.bytes(AddrKind.ipv6, new Uint8Array(16));
    // Not yet published: the reader still sees 10 records even though memory is shared.
    expect(reader.count).toBe(10);
    reader.applyDelta(writer.tablesDelta(mark));
    reader.publish(writer.count);
    expect(reader.count).toBe(BLOCK_SIZE + 10);
    expect(reader.dataOffset(BLOCK_SIZE + 9)).toBe(writer.dataOffset(BLOCK_SIZE + 9));
    expect(reader.addresses.size).toBe(2);
    // A delta with nothing new is empty.
    expect(writer.tablesDelta(mark)).toEqual({ addresses: [], protocols: [], links: [], comments: [] });
  });
});
