// The frame figure and the Accept computation on a real capture (tests/fixtures/websocket: a ws
// client and server on loopback, recorded by tcpdump): the figure's values are the bytes on the
// wire, and tshark reads the same fields.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFile } from '../../../tests/support/dissect-file';
import { tsharkFields, tsharkMissing } from '../../../tests/support/tshark';
import { createReader } from '../../../shared/capture/reader';
import type { PacketDetail } from '../../../shared/contract/api';
import { acceptSteps } from './accept';
import { frameFigure, wsLayers } from './frame-figure';

const file = join(resolve(import.meta.dirname, '../../..'), 'tests/fixtures/websocket/ws-basic.pcap');
const { frames } = dissectFile(file);
const detailOf = (i: number): PacketDetail => ({
  capture: 'c',
  frame: frames[i].frame,
  dissection: frames[i],
  bytes: frameBytes[i],
});
// dissectFile gives the dissections; the frames' bytes are read again with the same reader.
const frameBytes: Uint8Array[] = [];
createReader({
  packet: (p) => void frameBytes.push(p.data.slice()),
}).push(new Uint8Array(readFileSync(file)));

const wsFrames = frames.map((d, i) => ({ d, i })).filter(({ d }) => wsLayers(d).length > 0);

describe('WebSocket frame figure', () => {
  it('finds WebSocket frames in the capture', () => {
    expect(wsFrames.length).toBeGreaterThan(3);
  });

  it('unmasks a client frame: masked XOR key[i mod 4] gives the text the dissection decoded', () => {
    const masked = wsFrames.map(({ i }) => frameFigure(detailOf(i))).find((f) => f?.masked && f.text);
    expect(masked).toBeTruthy();
    const f = masked!;
    expect(f.maskingKey).toHaveLength(4);
    expect(f.header[1] & 0x80).toBe(0x80);
    expect(f.header.length).toBe(2 + f.extBits / 8 + 4);
    const text = String.fromCharCode(...f.steps.map((s) => s.unmasked));
    expect(f.text!.startsWith(text)).toBe(true);
    // Masking is not the identity for these bytes: the figure shows a real transformation.
    expect(f.steps.some((s) => s.masked !== s.unmasked)).toBe(true);
    for (const s of f.steps) expect(s.key).toBe(f.maskingKey![s.i % 4]);
  });

  it('reads a server frame unmasked, with no key', () => {
    const f = wsFrames.map(({ i }) => frameFigure(detailOf(i))).find((x) => x && !x.masked && x.text);
    expect(f).toBeTruthy();
    expect(f!.maskingKey).toBeNull();
    expect(f!.steps.every((s) => s.masked === s.unmasked)).toBe(true);
    expect(f!.header.length).toBe(2 + f!.extBits / 8);
  });

  it.skipIf(!!tsharkMissing)(`agrees with tshark on fin, opcode, mask and length ${tsharkMissing}`, () => {
    const rows = tsharkFields(
      file,
      ['frame.number', 'websocket.fin', 'websocket.opcode', 'websocket.mask', 'websocket.payload_length'],
      ['-Y', 'websocket'],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const [num, fin, opcode, mask, len] = r;
      const i = Number(num) - 1;
      const f = frameFigure(detailOf(i));
      expect(f, `frame ${num}`).toBeTruthy();
      // Several frames in one packet: tshark joins them with commas; the first is compared.
      expect(f!.fin).toBe(fin.split(',')[0] === 'True' || fin.split(',')[0] === '1');
      expect(f!.opcode).toBe(Number(opcode.split(',')[0]));
      expect(f!.masked).toBe(mask.split(',')[0] === 'True' || mask.split(',')[0] === '1');
      expect(f!.len7).toBe(Number(len.split(',')[0]));
    }
  });
});

describe('Sec-WebSocket-Accept', () => {
  it('is RFC 6455’s own example: dGhlIHNhbXBsZSBub25jZQ== → s3pPLMBiTxaQ9kYGzzhZRbK+xOo=', async () => {
    const s = await acceptSteps('dGhlIHNhbXBsZSBub25jZQ==');
    expect(s.input).toBe('dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
    expect(s.sha1).toBe('b37a4f2cc0624f1690f64606cf385945b2bec4ea');
    expect(s.accept).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it.skipIf(!!tsharkMissing)(
    `matches the capture's 101 response for its request's key ${tsharkMissing}`,
    async () => {
      const key = tsharkFields(file, ['http.sec_websocket_key'], ['-Y', 'http.sec_websocket_key'])[0]?.[0];
      const accept = tsharkFields(
        file,
        ['http.sec_websocket_accept'],
        ['-Y', 'http.sec_websocket_accept'],
      )[0]?.[0];
      expect(key).toBeTruthy();
      expect((await acceptSteps(key!)).accept).toBe(accept);
    },
  );
});
