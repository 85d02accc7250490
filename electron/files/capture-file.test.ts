import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { concat, pcapHeader, pcapRecord, pseudoBytes } from '../../shared/capture/testing';
import { collect } from '../../shared/capture/testing-collect';
import { CaptureError, type CapturePacket, type CaptureWarning } from '../../shared/capture/types';
import { readCaptureFile } from './capture-file';
import { fileError } from './file-errors';

const fixtures = resolve(import.meta.dirname, '../../tests/fixtures/readers');
const files = readdirSync(fixtures).filter((f) => /\.pcap(ng)?$/.test(f));
const tmp = mkdtempSync(join(tmpdir(), 'capture-file-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function readAll(path: string, chunkSize?: number) {
  const packets: CapturePacket[] = [];
  const warnings: CaptureWarning[] = [];
  const progress: [number, number][] = [];
  await readCaptureFile(
    path,
    { packet: (p) => packets.push({ ...p, data: p.data.slice() }), warning: (w) => warnings.push(w) },
    { chunkSize, onProgress: (b, t) => progress.push([b, t]) },
  );
  return { packets, warnings, progress };
}

describe('readCaptureFile', () => {
  for (const f of files) {
    it(`${f}: streamed in small and large chunks gives what the in-memory reader gives`, async () => {
      const path = join(fixtures, f);
      const bytes = new Uint8Array(readFileSync(path));
      const want = collect(bytes, bytes.length, path);
      for (const size of [1, 7, 4096, undefined]) {
        const got = await readAll(path, size);
        expect(got.packets).toEqual(want.packets);
        expect(got.warnings).toEqual(want.warnings);
        expect(got.progress.at(-1)).toEqual([bytes.length, bytes.length]);
        for (let i = 1; i < got.progress.length; i++)
          expect(got.progress[i][0]).toBeGreaterThan(got.progress[i - 1][0]);
      }
    });
  }

  it('names the path and the reason for a missing file, a directory and a non-capture', async () => {
    const missing = join(tmp, 'nope.pcap');
    await expect(readCaptureFile(missing, { packet: () => {} })).rejects.toThrow(
      `${missing}: cannot open: no such file or directory`,
    );
    await expect(readCaptureFile(tmp, { packet: () => {} })).rejects.toThrow(
      `${tmp}: cannot open: is a directory, not a capture file`,
    );
    const html = join(tmp, 'page.html');
    writeFileSync(html, '<!DOCTYPE html>');
    const err = await readCaptureFile(html, { packet: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as Error).message).toBe(
      `${html}: not a capture file: unknown magic 3c 21 44 4f ("<!DO") at offset 0; expected pcap (a1 b2 c3 d4 …) or pcapng (0a 0d 0d 0a)`,
    );
  });

  it.skipIf(process.getuid?.() === 0)(
    'names the path and says "permission denied" for an unreadable file (skipped as root: root reads anything)',
    async () => {
      const locked = join(tmp, 'locked.pcap');
      writeFileSync(locked, pcapHeader());
      chmodSync(locked, 0);
      await expect(readCaptureFile(locked, { packet: () => {} })).rejects.toThrow(
        `${locked}: cannot open: permission denied`,
      );
    },
  );

  it('puts OS errors in plain words', () => {
    const e = Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES' });
    expect(fileError('/x', e, 'open').message).toBe(
      '/x: cannot open: permission denied (the file is not readable by this user)',
    );
    expect((fileError('/x', e, 'open') as NodeJS.ErrnoException).code).toBe('EACCES');
    expect(fileError('/y', new Error('odd'), 'read at offset 5').message).toBe(
      '/y: cannot read at offset 5: odd',
    );
  });

  it('stops between chunks when aborted and rejects with the abort reason', async () => {
    const path = join(fixtures, 'three-sections.pcapng');
    const ac = new AbortController();
    let packets = 0;
    const err = await readCaptureFile(
      path,
      { packet: () => void packets++ },
      { chunkSize: 512, signal: ac.signal, onProgress: (b) => b >= 2048 && ac.abort() },
    ).catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(packets).toBeGreaterThan(0);
    expect(packets).toBeLessThan(readAllCount(path));
    const before = new AbortController();
    before.abort();
    await expect(readCaptureFile(path, { packet: () => {} }, { signal: before.signal })).rejects.toThrow(
      /abort/i,
    );
  });

  it('reads from a pipe (as from `dumpcap -w -`), where the size is unknown', async () => {
    const fifo = join(tmp, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const src = join(fixtures, 'lo-dumpcap.pcapng');
    const writer = spawn('sh', ['-c', `cat "${src}" > "${fifo}"`]);
    const exited = new Promise((ok) => writer.on('exit', ok));
    const got = await readAll(fifo, 1000);
    await exited;
    expect(got.packets).toEqual(collect(new Uint8Array(readFileSync(src))).packets);
    expect(got.progress.every(([, total]) => total === 0)).toBe(true);
  });

  it('streams a 64 MB file without holding it: memory stays near two read buffers', async () => {
    const path = join(tmp, 'big.pcap');
    const fd = openSync(path, 'w');
    writeSync(fd, pcapHeader());
    const rec = pcapRecord({ sec: 1, frac: 0, data: pseudoBytes(1500, 9) });
    const block = concat(...Array.from({ length: 1000 }, () => rec));
    for (let i = 0; i < 43; i++) writeSync(fd, block);
    closeSync(fd);
    global.gc?.();
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let packets = 0;
    await readCaptureFile(
      path,
      { packet: () => void packets++ },
      { onProgress: () => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - base)) },
    );
    expect(packets).toBe(43_000);
    expect(peak).toBeLessThan(16 * 1024 * 1024);
  });
});

function readAllCount(path: string): number {
  return collect(new Uint8Array(readFileSync(path))).packets.length;
}
