// Bad input and bad command lines, through the built CLI: one line naming the file, the offset
// and what was wrong; exit 1 for a file that cannot be read, 0 (with one warning) for a truncated
// last record, 2 with the usage text for a wrong command line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliFixtures, repoRoot, runCli } from './cli-support';

const web = join(cliFixtures, 'web.pcap');
const webBytes = readFileSync(web);
const dir = mkdtempSync(join(tmpdir(), 'wirescope-cli-input-'));
const lines = (s: string) => s.split('\n').filter((l) => l !== '');

/** Offsets of the pcap record headers of web.pcap (24-byte file header, 16-byte record headers). */
function recordOffsets(b: Buffer): number[] {
  const out: number[] = [];
  for (let at = 24; at + 16 <= b.length; at += 16 + b.readUInt32LE(at + 8)) out.push(at);
  return out;
}
const records = recordOffsets(webBytes);

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('bad input', () => {
  beforeAll(() => {
    buildCli();
  });

  it('names the file and the magic of something that is not a capture', () => {
    const p = file('page.html', '<!DOCTYPE html><html><body>not a capture</body></html>\n');
    for (const cmd of ['info', 'list']) {
      const r = runCli([cmd, p]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain(p);
      expect(r.stderr).toMatch(/offset 0/);
      expect(r.stderr).toMatch(/not a capture file/);
    }
  });

  it('says in plain words that a file is missing, or is a directory', () => {
    const missing = join(dir, 'no-such.pcap');
    const r = runCli(['list', missing]);
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toEqual([`wirescope: ${missing}: cannot open: no such file or directory`]);
    const d = join(dir, 'a-directory.pcap');
    mkdirSync(d);
    const r2 = runCli(['info', d]);
    expect(r2.status).toBe(1);
    expect(lines(r2.stderr)).toHaveLength(1);
    expect(r2.stderr).toContain(d);
    expect(r2.stderr).toMatch(/directory/);
  });

  it('rejects an empty file with one clear line', () => {
    const p = file('empty.pcap', new Uint8Array(0));
    const r = runCli(['info', p]);
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(p);
    expect(r.stderr).toMatch(/empty/i);
  });

  it('keeps every whole packet of a truncated file, warns once and exits 0', () => {
    const p = file('truncated.pcap', webBytes.subarray(0, webBytes.length - 10));
    const whole = records.length - 1;
    const list = runCli(['list', p]);
    expect(list.status).toBe(0);
    expect(lines(list.stdout)).toHaveLength(whole);
    expect(lines(list.stderr)).toHaveLength(1);
    expect(list.stderr).toMatch(/^wirescope: warning: /);
    expect(list.stderr).toContain(p);
    expect(list.stderr).toContain(`offset ${records[whole]}`);
    // The same lines as the intact file, minus the last.
    expect(lines(list.stdout)).toEqual(lines(runCli(['list', web]).stdout).slice(0, whole));
    const info = runCli(['info', '--json', p]);
    expect(info.status).toBe(0);
    expect(JSON.parse(info.stdout).packets).toBe(whole);
    expect(lines(info.stderr)).toHaveLength(1);
  });

  it('stops at an absurd record length with the offset and the value, after the packets before it', () => {
    const b = Buffer.from(webBytes);
    const bad = records[3];
    b.writeUInt32LE(0x7fffffff, bad + 8);
    const p = file('absurd.pcap', b);
    const r = runCli(['list', p]);
    expect(r.status).toBe(1);
    expect(lines(r.stdout)).toHaveLength(3);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(p);
    expect(r.stderr).toContain(`offset ${bad}`);
    expect(r.stderr).toMatch(/2147483647/);
    const info = runCli(['info', p]);
    expect(info.status).toBe(1);
    expect(info.stdout).toBe('');
  });
});

describe('command line', () => {
  beforeAll(() => {
    buildCli();
  });

  it('prints the usage and exits 2 for a wrong command line', () => {
    for (const args of [
      [],
      ['frobnicate', web],
      ['info'],
      ['fields', web],
      ['detail', web],
      ['list', web, '--bogus'],
      ['list', web, web],
      ['detail', web, '--frame', 'x'],
      ['fields', web, '-e', 'frame.len', '-E', 'header=maybe'],
    ]) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^wirescope: .+\n\nUsage: wirescope/);
    }
  });

  it('names an unknown field with a close suggestion, before reading the file', () => {
    const r = runCli(['fields', join(dir, 'not-even-there.pcap'), '-e', 'frame.number', '-e', 'frame.lne']);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([
      'wirescope: fields: unknown field "frame.lne" (did you mean "frame.len"?)',
    ]);
  });

  it('names an unknown decode-as protocol', () => {
    const r = runCli(['list', web, '-d', 'tcp.port==8081,nosuchproto']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no dissector named "nosuchproto"/);
  });

  it('refuses a frame past the end', () => {
    const r = runCli(['detail', web, '--frame', '999']);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `wirescope: detail: there is no frame 999: ${web} has ${records.length} packets`,
    ]);
  });

  it('prints help and version with exit 0', () => {
    const h = runCli(['--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^Usage: wirescope/);
    const v = runCli(['--version']);
    expect(v.status).toBe(0);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(v.stdout).toBe(`wirescope ${pkg.version}\n`);
  });

  it('runs through bin/wirescope.mjs (the bundle when built, else the source through tsx)', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin/wirescope.mjs'), 'list', '-c', '2', web], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toHaveLength(2);
  });

  it('stops quietly when the reader of its output goes away', () => {
    // A bigger capture (the fixture 200 times) piped into `head -1`: EPIPE must not be an error.
    const big = file(
      'big.pcap',
      Buffer.concat([webBytes, ...Array.from({ length: 200 }, () => webBytes.subarray(24))]),
    );
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${buildCli()}" list "${big}" | head -1`], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)).toHaveLength(1);
  });
});
