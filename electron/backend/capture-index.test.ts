import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../shared/capture/types';
import { FrameSource } from '../../shared/index/columns';
import { openCaptureIndex } from './capture-index';
import { frameReader, indexFile } from './index-file';

const fixtures = resolve(import.meta.dirname, '../../tests/fixtures/cli');
const web = join(fixtures, 'web.pcapng');
const dir = mkdtempSync(join(tmpdir(), 'wirescope-worker-'));

/** The pcap fixture's packets repeated: a file long enough that the pass takes many chunks. */
function bigCapture(times: number): string {
  const b = readFileSync(join(fixtures, 'web.pcap'));
  const p = join(dir, `web-x${times}.pcap`);
  writeFileSync(p, Buffer.concat([b, ...Array.from({ length: times - 1 }, () => b.subarray(24))]));
  return p;
}

describe('index worker', () => {
  it('mirrors the index and answers rows and detail as the in-process pass does', async () => {
    const cap = openCaptureIndex(web);
    try {
      const summary = await cap.done;
      const local = await indexFile(web);
      expect(summary.packets).toBe(local.summary.packets);
      expect(cap.count).toBe(local.index.count);
      for (let i = 0; i < cap.count; i++) {
        expect(cap.index.dataOffset(i)).toBe(local.index.dataOffset(i));
        expect(cap.index.caplen(i)).toBe(local.index.caplen(i));
        expect(cap.index.tsNsec(i)).toBe(local.index.tsNsec(i));
        expect(cap.index.addresses.text(cap.index.src(i))).toBe(
          local.index.addresses.text(local.index.src(i)),
        );
        expect(cap.index.protocols.text(cap.index.proto(i))).toBe(
          local.index.protocols.text(local.index.proto(i)),
        );
        expect(cap.index.stream(i)).toBe(local.index.stream(i));
      }
      const fr = frameReader(web, local.index);
      const src = new FrameSource(local.engine, local.session, local.index, fr.read);
      expect(await cap.rows(1, cap.count)).toEqual(src.rows(1, local.index.count));
      const d = await cap.detail(4);
      expect(d?.dissection).toEqual(src.dissect(4, true, true));
      expect(d?.bytes).toEqual(fr.read(3));
      expect(await cap.detail(cap.count + 1)).toBeNull();
      fr.close();
    } finally {
      await cap.close();
    }
  });

  it('has rows to show before the pass ends', async () => {
    const file = bigCapture(300);
    const events: string[] = [];
    const cap = openCaptureIndex(file, { chunkSize: 4096 });
    try {
      void cap.done.then(() => events.push('done'));
      const first = await cap.firstRows;
      expect(first).toBeGreaterThan(0);
      const rows = await cap.rows(1, 20);
      events.push('rows');
      expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 20 }, (_, k) => k + 1));
      const summary = await cap.done;
      expect(events).toEqual(['rows', 'done']);
      expect(summary.packets).toBe(36 * 300);
      expect(cap.count).toBe(36 * 300);
    } finally {
      await cap.close();
    }
  });

  it('stops on cancel and keeps what it indexed', async () => {
    const cap = openCaptureIndex(bigCapture(600), { chunkSize: 4096 });
    try {
      await cap.firstRows;
      cap.cancel();
      const summary = await cap.done;
      expect(cap.cancelled).toBe(true);
      expect(summary.packets).toBeLessThan(36 * 600);
      expect(cap.count).toBe(summary.packets);
      expect((await cap.rows(1, 1))[0].number).toBe(1);
    } finally {
      await cap.close();
    }
  });

  it('passes the reader error across the thread as a CaptureError', async () => {
    const bad = join(dir, 'not-a-capture.pcap');
    writeFileSync(bad, 'GET / HTTP/1.1\r\nHost: example\r\n\r\n');
    const cap = openCaptureIndex(bad);
    try {
      const e = await cap.done.then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(CaptureError);
      expect((e as CaptureError).message).toContain(bad);
      expect((e as CaptureError).offset).toBe(0);
    } finally {
      await cap.close();
    }
  });

  it('refuses requests once closed', async () => {
    const cap = openCaptureIndex(web);
    await cap.done;
    await cap.close();
    await expect(cap.rows(1, 1)).rejects.toThrow(/closed/);
  });
});
