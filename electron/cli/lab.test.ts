import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { LiveAccess } from '../../shared/contract/api';
import { eventLine, LAB_USAGE, parseLabArgs, runLab } from './lab';

function io() {
  const text = { out: '', err: '' };
  const sink = (k: 'out' | 'err') =>
    new Writable({
      write(c, _e, cb) {
        text[k] += String(c);
        cb();
      },
    });
  return { io: { out: sink('out'), err: sink('err') }, text };
}

const denied: LiveAccess = {
  helper: 'dumpcap',
  permitted: false,
  message: 'You may not capture with dumpcap.',
  grant: ['sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/dumpcap'],
  interfaces: [],
  tap: true,
};

describe('wirescope lab: arguments', () => {
  it('reads each option into the LabStart', () => {
    expect(
      parseLabArgs([
        'websocket',
        '--url',
        'wss://echo.example/chat',
        '--messages',
        '3',
        '--tap',
        '--pace',
        '500',
        '-w',
        'x.pcapng',
      ]),
    ).toEqual({
      kind: 'websocket',
      start: { lab: 'websocket', mode: 'tap', url: 'wss://echo.example/chat', messages: 3, paceMs: 500 },
      write: 'x.pcapng',
      help: false,
    });
    expect(parseLabArgs(['tcp-udp', '--loss', '25']).start).toEqual({
      lab: 'tcp-udp',
      mode: 'capture',
      loss: 25,
    });
  });

  it('usage errors say what is wrong and exit 2', async () => {
    for (const [args, msg] of [
      [[], /which lab\?/],
      [['dns'], /unknown lab "dns"/],
      [['tcp-udp', '--loss', '95'], /--loss 95: expected a whole number from 0 to 90/],
      [['websocket', '--loss', '5'], /--loss is for the tcp-udp lab/],
      [['tcp-udp', '--url', 'ws://x/'], /--url is for the websocket lab/],
      [['websocket', '--url', 'ftp://x/'], /ws:\/\/ or wss:\/\//],
      [['websocket', '--messages'], /--messages needs a value/],
      [['websocket', '-w'], /-w needs a file name/],
      [['websocket', '--bogus'], /unknown option "--bogus"/],
    ] as const) {
      const t = io();
      expect(await runLab(args, t.io)).toBe(2);
      expect(t.text.err).toMatch(msg);
      expect(t.text.err).toContain('Usage: wirescope lab websocket');
    }
  });

  it('--help prints the usage and exits 0', async () => {
    const t = io();
    expect(await runLab(['websocket', '--help'], t.io)).toBe(0);
    expect(t.text.out).toBe(`${LAB_USAGE}\n`);
  });

  it('without capture rights and without --tap: the grant, the tap suggested, exit 1, nothing started', async () => {
    const t = io();
    let tapAsked = false;
    const code = await runLab(['websocket'], t.io, {
      access: async () => denied,
      sources: {
        capture: () => {
          throw new Error('must not start');
        },
        tap: () => {
          tapAsked = true;
          throw new Error('must not start');
        },
      },
    });
    expect(code).toBe(1);
    expect(tapAsked).toBe(false);
    expect(t.text.err).toContain('live capture is not permitted here. You may not capture with dumpcap.');
    expect(t.text.err).toContain('  sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/dumpcap');
    expect(t.text.err).toMatch(/add --tap/);
  });

  it('prints one line per event with seconds since the start', () => {
    expect(eventLine({ lab: 'l', seq: 2, kind: 'sent', text: 'client → ping', at: 1_500 }, 1_000)).toBe(
      '   0.500    client → ping',
    );
    expect(eventLine({ lab: 'l', seq: 1, kind: 'step', text: 'Hi.', at: 1_000 }, 1_000)).toBe(
      '   0.000  · Hi.',
    );
  });
});
