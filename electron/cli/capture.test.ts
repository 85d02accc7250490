// `wirescope capture`: arguments, and real captures on lo (a TCP exchange made here): the lines
// printed as packets arrive equal tshark's reading of the file -w wrote; Ctrl+C in a real process
// stops cleanly; without rights (run as nobody) the clear message and the tap.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { bounded, helperMissing, loopback, notRoot, root, waitFor } from '../../tests/support/live';
import { tsharkMissing, tsharkPath } from '../../tests/support/tshark';
import { findHelper, runningHelpers, type HelperName } from '../live/capture-helper';
import { CAPTURE_USAGE, parseCaptureArgs, runCapture } from './capture';

const repo = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'wirescope-cli-capture-'));
const { echoServer, exchange, close: closeLoopback } = loopback();

afterAll(async () => {
  await closeLoopback();
  rmSync(dir, { recursive: true, force: true });
  expect(runningHelpers()).toBe(0);
});

function io() {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', (d: Buffer) => (e += d.toString()));
  return { io: { out, err }, out: () => o, err: () => e };
}

describe('capture arguments', () => {
  it('parses tshark-like options', () => {
    expect(
      parseCaptureArgs([
        '-i',
        'lo',
        '-f',
        'tcp port 80',
        '-w',
        'x.pcapng',
        '--count',
        '5',
        '--helper=tcpdump',
        '-s',
        '96',
      ]),
    ).toMatchObject({
      iface: 'lo',
      filter: 'tcp port 80',
      write: 'x.pcapng',
      count: 5,
      helper: 'tcpdump',
      snaplen: 96,
    });
    expect(parseCaptureArgs(['-a', 'duration:3', '-q'])).toMatchObject({
      durationS: 3,
      quiet: true,
      iface: null,
    });
    expect(parseCaptureArgs(['--duration', '2', '-c', '1'])).toMatchObject({ durationS: 2, count: 1 });
  });

  it('refuses what it cannot use, saying why', () => {
    expect(() => parseCaptureArgs(['--count', '0'])).toThrow(
      'capture: --count takes a whole number of at least 1, not "0"',
    );
    expect(() => parseCaptureArgs(['-c', 'many'])).toThrow('not "many"');
    expect(() => parseCaptureArgs(['-a', 'filesize:10'])).toThrow('-a takes duration:S');
    expect(() => parseCaptureArgs(['--helper', 'wireshark'])).toThrow('--helper is dumpcap or tcpdump');
    expect(() => parseCaptureArgs(['-i'])).toThrow('capture: -i needs a value');
    expect(() => parseCaptureArgs(['tcp', 'port', '80'])).toThrow('a filter goes after -f');
    expect(() => parseCaptureArgs(['-Y', 'tcp'])).toThrow('unknown option "-Y"');
  });

  it('--help prints the usage; a usage error prints it on stderr with status 2', async () => {
    const h = io();
    expect(await runCapture(['--help'], h.io)).toBe(0);
    expect(h.out()).toBe(`${CAPTURE_USAGE}\n`);
    expect(h.out()).toContain(
      'wirescope capture [-i IFACE] [-f FILTER] [-w FILE] [--duration S | --count N]',
    );
    const u = io();
    expect(await runCapture(['--count', 'x'], u.io)).toBe(2);
    expect(u.err()).toContain('wirescope: capture: --count takes a whole number');
    expect(u.err()).toContain('Usage: wirescope capture');
  });
});

for (const helper of ['dumpcap', 'tcpdump'] as HelperName[]) {
  const skip = helperMissing(helper) || notRoot || tsharkMissing;
  describe.skipIf(!!skip)(`capture with ${helper} on lo${skip ? ` (skipped: ${skip})` : ''}`, () => {
    it('--count: a line per packet as it arrives, equal to tshark reading the -w file', async () => {
      const port = await echoServer();
      const file = join(dir, `${helper}-count.pcapng`);
      const t = io();
      const run = runCapture(
        ['-i', 'lo', '-f', `tcp port ${port}`, '--count', '6', '-w', file, '--helper', helper],
        t.io,
      );
      await waitFor(() => t.err().includes('Capturing on'), 12_000, 'Capturing on');
      await exchange(port, 'counted by the CLI');
      expect(await bounded(run, 10_000, 'capture --count 6')).toBe(0);
      expect(t.err()).toMatch(/^Capturing on '(Loopback: )?lo'\n6 packets captured\n$/);
      const lines = t.out().trimEnd().split('\n');
      expect(lines.length).toBe(6);
      const r = spawnSync(tsharkPath, ['-n', '-r', file], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
      });
      expect(r.status).toBe(0);
      expect(lines).toEqual(r.stdout.trimEnd().split('\n'));
      expect(lines[0]).toContain(`→ ${port} [SYN]`);
    });

    it('stops on request (as Ctrl+C) and says how many packets', async () => {
      const port = await echoServer();
      const t = io();
      const stop = new AbortController();
      const run = runCapture(['-i', 'lo', '-f', `tcp port ${port}`, '--helper', helper], t.io, {
        signal: stop.signal,
      });
      await waitFor(() => t.err().includes('Capturing on'), 12_000, 'Capturing on');
      await exchange(port, 'then stopped');
      await waitFor(() => t.out().split('\n').length > 8, 3000, 'the lines');
      stop.abort();
      expect(await bounded(run, 10_000, 'stop')).toBe(0);
      const n = t.out().trimEnd().split('\n').length;
      expect(t.err()).toContain(`\n${n} packets captured\n`);
    });
  });
}

const anyHelper = findHelper();

describe.skipIf(!anyHelper)(`capture -D${anyHelper ? '' : ' (skipped: no capture helper)'}`, () => {
  it('lists the interfaces as tshark -D does (no capture rights needed)', async () => {
    const t = io();
    expect(await runCapture(['-D'], t.io)).toBe(0);
    const lines = t.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^1\. \S+/);
    expect(lines.some((l) => /^\d+\. lo( \(Loopback\))?$/.test(l))).toBe(true);
  });
});
describe.skipIf(!anyHelper || !root)(
  `capture without rights${!anyHelper ? ' (skipped: no capture helper)' : !root ? ` (skipped: ${notRoot})` : ''}`,
  () => {
    it('run as nobody: status 1, what to grant, and the tap', async () => {
      const t = io();
      const code = await runCapture(['-i', 'lo'], t.io, { user: { uid: 65534, gid: 65534 } });
      expect(code).toBe(1);
      expect(t.err()).toMatch(/^wirescope: cannot capture: nobody may not capture with/);
      expect(t.err()).toContain(`sudo setcap cap_net_raw,cap_net_admin=eip ${anyHelper!.path}`);
      expect(t.err()).toContain('wirescope lab websocket --tap');
      expect(t.out()).toBe('');
    });
  },
);

describe.skipIf(!anyHelper || !root)(
  `a real process and Ctrl+C${!anyHelper || !root ? ' (skipped)' : ''}`,
  () => {
    it('SIGINT: the lines so far, "N packets captured", status 0, and no helper left behind', async () => {
      const port = await echoServer();
      const tsx = join(repo, 'node_modules/.bin/tsx');
      const child = spawn(
        tsx,
        [join(repo, 'electron/cli.ts'), 'capture', '-i', 'lo', '-f', `tcp port ${port}`],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          // Its own process group: a failed test kills the whole group (tsx, the CLI, its helper).
          detached: true,
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      try {
        await waitFor(() => err.includes('Capturing on'), 20_000, 'Capturing on');
        await exchange(port, 'interrupted');
        await waitFor(() => out.split('\n').length > 8, 3000, 'the lines');
        // The helper is a child of the CLI's node process (tsx runs node as its own child).
        // (esbuild's service process is another grandchild: match the helper's path and filter.)
        const helpers = spawnSync(
          'sh',
          ['-c', `for p in $(pgrep -P ${child.pid}); do ps -o pid=,args= --ppid $p; done`],
          { encoding: 'utf8' },
        )
          .stdout.split('\n')
          .map((l) => l.trim())
          .filter((l) => l.split(/\s+/)[1] === anyHelper!.path && l.includes(`tcp port ${port}`))
          .map((l) => Number(l.split(/\s+/)[0]));
        expect(helpers.length).toBe(1);
        child.kill('SIGINT');
        expect(await bounded(exited, 10_000, 'exit after SIGINT')).toBe(0);
        const n = out.trimEnd().split('\n').length;
        expect(err).toContain(`${n} packets captured`);
        expect(() => process.kill(helpers[0], 0)).toThrow();
      } finally {
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      }
    });
  },
);
