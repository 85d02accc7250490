import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../serve';

const root = resolve(import.meta.dirname, '../..');
const web = join(root, 'tests/fixtures/cli/web.pcapng');
const dir = mkdtempSync(join(tmpdir(), 'wirescope-serve-cli-'));
const bundle = join(dir, 'web');
mkdirSync(bundle);
writeFileSync(join(bundle, 'index.html'), '<!doctype html><title>Wirescope</title>');

describe('serve command line', () => {
  it('parses files, --port and --root', () => {
    expect(parseServeArgs(['a.pcap', '--port', '8080', 'b.pcapng'])).toEqual({
      files: ['a.pcap', 'b.pcapng'],
      port: 8080,
      root: null,
      help: false,
    });
    expect(parseServeArgs(['--port=0', '--root=/x'])).toEqual({
      files: [],
      port: 0,
      root: '/x',
      help: false,
    });
    expect(parseServeArgs(['--port', 'http'])).toEqual({
      error: '--port needs a number from 0 to 65535, not "http"',
    });
    expect(parseServeArgs(['--port', '70000'])).toMatchObject({ error: expect.stringContaining('70000') });
    expect(parseServeArgs(['--port'])).toMatchObject({ error: expect.stringContaining('nothing') });
    expect(parseServeArgs(['--verbose'])).toEqual({ error: 'unknown option --verbose' });
  });

  function run(args: string[]): Promise<{ code: number | null; out: string; err: string; line: string }> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'electron/serve.ts'), '--root', bundle, ...args],
      { cwd: root },
    );
    let out = '';
    let err = '';
    return new Promise((res) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) child.kill('SIGTERM');
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => res({ code, out, err, line: out.split('\n')[0] }));
    });
  }

  it('prints one line with the address and token, and stops cleanly on SIGTERM', async () => {
    const r = await run([web, '--port', '0']);
    expect(r.line).toMatch(/^Wirescope at http:\/\/127\.0\.0\.1:\d{2,5}\/#token=[A-Za-z0-9_-]{20,}$/);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(0);
  });

  it('names a missing capture and exits 2 before listening', async () => {
    const r = await run([join(dir, 'nope.pcap')]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('nope.pcap: cannot open the capture: no such file or directory');
  });
});
