// The helper's argv (never a shell), its stderr in plain words, and the edges of a capture:
// the start timeout, a sink that throws, an interface that goes away. Real helpers on lo (the
// full exchange against tshark is in tests/live/capture-helpers.test.ts).
import { spawnSync } from 'node:child_process';
import { describe, expect, it, afterAll } from 'vitest';
import {
  captureHelper,
  findHelper,
  helperArgs,
  droppedByKernel,
  helperMessage,
  locateHelper,
  runningHelpers,
  type HelperName,
} from './capture-helper';
import type { LiveSink } from './source';
import { helperMissing, notRoot, root } from '../../tests/support/live';

afterAll(() => expect(runningHelpers()).toBe(0));

describe('argv', () => {
  it('dumpcap: pcapng to stdout, quiet, filter and interface as their own elements', () => {
    expect(
      helperArgs('dumpcap', {
        iface: 'lo',
        filter: 'tcp port 80 and host 127.0.0.1',
        count: 5,
        durationS: 3,
        snaplen: 96,
      }),
    ).toEqual([
      '-i',
      'lo',
      '-f',
      'tcp port 80 and host 127.0.0.1',
      '-w',
      '-',
      '-q',
      '-c',
      '5',
      '-a',
      'duration:3',
      '-s',
      '96',
    ]);
    expect(helperArgs('dumpcap', { iface: 'lo' })).toEqual(['-i', 'lo', '-w', '-', '-q']);
  });

  it('tcpdump: packet-buffered, immediate, a 32 MiB ring, the filter after -- (a filter is never an option)', () => {
    expect(
      helperArgs('tcpdump', { iface: 'eth0', filter: '-w /etc/passwd', count: 2, durationS: 9, snaplen: 64 }),
    ).toEqual([
      '-i',
      'eth0',
      '-U',
      '--immediate-mode',
      '-B',
      '32768',
      '-w',
      '-',
      '-c',
      '2',
      '-s',
      '64',
      '--',
      '-w /etc/passwd',
    ]);
    expect(helperArgs('tcpdump', { iface: 'lo', filter: '' })).toEqual([
      '-i',
      'lo',
      '-U',
      '--immediate-mode',
      '-B',
      '32768',
      '-w',
      '-',
    ]);
  });

  it('shell text stays text: $(…), quotes and ; reach the helper as one filter element', () => {
    const f = `tcp port 80; touch /tmp/pwned $(id) 'x'`;
    const a = helperArgs('dumpcap', { iface: 'lo', filter: f });
    expect(a[3]).toBe(f);
  });

  it('refuses nonsense before spawning anything', () => {
    expect(() => captureHelper({ iface: '' })).toThrow('is not an interface name');
    expect(() => captureHelper({ iface: 'lo\0x' })).toThrow('is not an interface name');
    expect(() => captureHelper({ iface: 'lo', filter: 'tcp\0' })).toThrow('NUL');
    expect(() => captureHelper({ iface: 'lo', count: 0 })).toThrow(
      'count must be a positive whole number, not 0',
    );
    expect(() => captureHelper({ iface: 'lo', durationS: 1.5 })).toThrow(
      'duration must be a positive whole number',
    );
  });
});

describe('finding the helper', () => {
  it('dumpcap first, tcpdump when preferred, absolute paths', () => {
    const d = locateHelper('dumpcap');
    const t = locateHelper('tcpdump');
    if (d) expect(findHelper()).toEqual({ name: 'dumpcap', path: d });
    if (t) expect(findHelper('tcpdump')).toEqual({ name: 'tcpdump', path: t });
    for (const p of [d, t]) if (p) expect(p.startsWith('/') || /^[A-Z]:\\/.test(p)).toBe(true);
  });
});

describe("the helper's words", () => {
  it('dumpcap: the first message without the banner, its prefix or the advice paragraphs', () => {
    const stderr = `Capturing on 'Loopback: lo'
dumpcap: You do not have permission to capture on device "lo".
(socket: Operation not permitted)
Please check to make sure you have sufficient permissions.

On Debian and Debian derivatives such as Ubuntu, if you have installed Wireshark from a package, try running
`;
    expect(helperMessage(stderr, 'dumpcap')).toBe(
      'You do not have permission to capture on device "lo". (socket: Operation not permitted)',
    );
  });

  it('tcpdump: its line; the counts at the end are not a problem', () => {
    expect(helperMessage("tcpdump: can't parse filter expression: syntax error\n", 'tcpdump')).toBe(
      "can't parse filter expression: syntax error",
    );
    expect(
      helperMessage(
        'tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n10 packets captured\n20 packets received by filter\n0 packets dropped by kernel\n',
        'tcpdump',
      ),
    ).toBe('');
    expect(
      helperMessage(
        "Capturing on 'Loopback: lo'\nFile: -\n\rPackets captured: 10\nPackets received/dropped on interface 'Loopback: lo': 10/0 (pcap:0/dumpcap:0/flushed:0/ps_ifdrop:0) (100.0%)\n",
        'dumpcap',
      ),
    ).toBe('');
  });

  it("the kernel's drops are counted from either helper's closing statistics", () => {
    const tcpdump = (d: number) =>
      `tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n12 packets captured\n20 packets received by filter\n${d} packets dropped by kernel\n`;
    expect(droppedByKernel(tcpdump(0))).toBe(0);
    expect(droppedByKernel(tcpdump(8))).toBe(8);
    expect(droppedByKernel('1 packet dropped by kernel\n')).toBe(1);
    const dumpcap = (d: number) =>
      `Capturing on 'Loopback: lo'\nFile: -\n\rPackets captured: 10\nPackets received/dropped on interface 'Loopback: lo': 10/${d} (pcap:${d}/dumpcap:0/flushed:0/ps_ifdrop:0) (100.0%)\n`;
    expect(droppedByKernel(dumpcap(0))).toBe(0);
    expect(droppedByKernel(dumpcap(3))).toBe(3);
    expect(droppedByKernel('tcpdump: 8 packets dropped by kernel maybe')).toBe(0);
  });
});

function sink(): LiveSink & { ends: (string | null)[]; ended: Promise<string | null>; bytes: number } {
  let done!: (p: string | null) => void;
  const s = {
    ends: [] as (string | null)[],
    ended: new Promise<string | null>((r) => (done = r)),
    bytes: 0,
    data(c: Uint8Array) {
      s.bytes += c.length;
    },
    end(p: string | null) {
      s.ends.push(p);
      done(p);
    },
  };
  return s;
}

for (const helper of ['dumpcap', 'tcpdump'] as HelperName[]) {
  const skip = helperMissing(helper) || notRoot;
  describe.skipIf(!!skip)(`${helper}, edges${skip ? ` (skipped: ${skip})` : ''}`, () => {
    it('a start that does not hear "capturing" in time rejects, and the helper is killed', async () => {
      const src = captureHelper({ iface: 'lo', filter: 'tcp port 9', helper, startTimeoutMs: 1 });
      const s = sink();
      await expect(src.start(s)).rejects.toThrow(`${helper} did not start capturing on "lo" within 0.001 s`);
      await src.stop();
      expect(s.bytes).toBe(0);
      expect(s.ends).toEqual([]);
      expect(runningHelpers()).toBe(0);
    });

    it('a sink that throws (disk full…) stops the capture with the reason, no exception escapes', async () => {
      const src = captureHelper({ iface: 'lo', filter: 'tcp port 9', helper });
      let ended!: (p: string | null) => void;
      const end = new Promise<string | null>((r) => (ended = r));
      let calls = 0;
      // The file header arrives at start: the first data() throws.
      await src.start({
        data: () => {
          calls++;
          throw new Error('ENOSPC: no space left on device, write');
        },
        end: (p) => ended(p),
      });
      const problem = await end;
      expect(problem).toBe(
        `the captured packets could not be kept (ENOSPC: no space left on device, write); ${helper} was stopped`,
      );
      expect(calls).toBe(1);
    });
  });
}

// An interface that goes away mid-capture, in a network namespace of its own (veth pair).
const unshare = spawnSync('sh', ['-c', 'command -v unshare && command -v ip']).status === 0;
describe.skipIf(!root || !unshare)(
  `an interface that disappears${!root ? ` (skipped: ${notRoot})` : !unshare ? ' (skipped: unshare/ip missing)' : ''}`,
  () => {
    for (const helper of ['dumpcap', 'tcpdump'] as HelperName[]) {
      it.skipIf(!locateHelper(helper))(`${helper}: the end says it stopped on its own, in its words`, () => {
        // The helper runs in a fresh network namespace (no route out), through a small script
        // that uses this module: create veth v0, capture, delete v0.
        const script = `
          import { captureHelper } from ${JSON.stringify(new URL('./capture-helper.ts', import.meta.url).pathname)};
          import { execFileSync } from 'node:child_process';
          execFileSync('ip', ['link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
          execFileSync('ip', ['link', 'set', 'v0', 'up']);
          execFileSync('ip', ['link', 'set', 'v1', 'up']);
          const src = captureHelper({ iface: 'v0', helper: ${JSON.stringify(helper)} });
          const t = setTimeout(() => { console.log('no end'); process.exit(3); }, 8000);
          await src.start({ data() {}, end(p) { clearTimeout(t); console.log(JSON.stringify(p)); } });
          setTimeout(() => execFileSync('ip', ['link', 'del', 'v0']), 300);
        `;
        const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
        const r = spawnSync('unshare', ['--net', '--', tsx, '--input-type=module', '-e', script], {
          encoding: 'utf8',
          timeout: 20_000,
        });
        if (r.status !== 0 && /unshare failed|Operation not permitted/.test(r.stderr)) {
          console.warn(`skipped: cannot create a network namespace here (${r.stderr.trim()})`);
          return;
        }
        expect(r.stderr).toBe('');
        const problem = JSON.parse(r.stdout.trim()) as string;
        expect(problem).toMatch(new RegExp(`^${helper} stopped on its own: (exited|exit code \\d+), `));
        if (helper === 'dumpcap') expect(problem).toMatch(/"v0"/);
        expect(problem).toMatch(/no longer attached|disappeared/);
      });
    }
  },
);

describe.skipIf(!root || !findHelper())(`no orphans${!root ? ` (skipped: ${notRoot})` : ''}`, () => {
  it('a process that exits while capturing takes its helper with it', async () => {
    const script = `
      import { captureHelper } from ${JSON.stringify(new URL('./capture-helper.ts', import.meta.url).pathname)};
      const src = captureHelper({ iface: 'lo', filter: 'tcp port 9' });
      await src.start({ data() {}, end() {} });
      console.log(src.pid);
      process.exit(0);
    `;
    const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;
    const r = spawnSync(tsx, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    const pid = Number(r.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    const until = Date.now() + 3000;
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (alive() && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
    expect(alive()).toBe(false);
  });
});
