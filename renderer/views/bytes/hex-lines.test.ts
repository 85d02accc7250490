// Hex view data over real dissections (the project's engine over a real capture).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFile } from '../../../tests/support/dissect-file';
import { asciiChar, bitMask, hex2, layerMap, layersIn, offsetText } from './hex-lines';

const root = resolve(import.meta.dirname, '../../..');
const { frames } = dissectFile(join(root, 'tests/fixtures/captures/lo-mixed.pcap'));
const frag = dissectFile(join(root, 'tests/fixtures/captures/lo-frag.pcap')).frames;

describe('hex lines', () => {
  it('maps each byte to its innermost TCP/IP layer', () => {
    // Frame 16: Ethernet (14) + IPv4 (20) + TCP (32) + 26 bytes of data.
    const d = frames[15];
    const map = layerMap(d, 0, 92);
    expect([map[0], map[13], map[14], map[33], map[34], map[65], map[66], map[91]]).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4,
    ]);
    expect(layersIn(map)).toEqual(['link', 'internet', 'transport', 'application']);
  });

  it('maps a reassembled data source by the layers that live in it', () => {
    const d = frag[2];
    expect(d.sources).toHaveLength(1);
    // The reassembled ICMP echo: its 16 bytes (header and Linux ping's timestamp; ICMP sits with
    // IP, on the internet layer), then the echoed data; the frame's own headers are not here.
    const map = layerMap(d, 1, d.sources[0].bytes.length);
    expect([map[0], map[15], map[16], map[map.length - 1]]).toEqual([2, 2, 4, 4]);
    expect(layersIn(map)).toEqual(['internet', 'application']);
  });

  it('prints offsets, bytes, ASCII and bit masks as Wireshark does', () => {
    expect(offsetText(0x30, 100)).toBe('0030');
    expect(offsetText(0x12340, 0x20000)).toBe('00012340');
    expect(hex2(10)).toBe('0a');
    expect([0x41, 0x20, 0x7e, 0x7f, 0x00, 0xe9].map(asciiChar).join('')).toBe('A ~...');
    expect(bitMask(0x02, 1)).toBe('.... ..1.');
    expect(bitMask(0x0fff, 2)).toBe('.... 1111  1111 1111');
  });
});
