// The lab runner: one lab (WebSocket or TCP-vs-UDP) with its servers, its clients and the live
// source that captures their traffic. The order matters and is kept here once for the app and the
// CLI: the servers listen (which sends nothing), the source is created with a filter covering
// exactly the lab's ports, the CALLER starts the source (PageHost.openLive in the app, a pcapng
// file sink in the CLI), and only then does `run()` make traffic, so the capture holds the whole
// exchange from the first SYN. `stop()` closes the sockets first and the source last, so the
// teardown is captured too.
import type {
  LabAction,
  LabEvent,
  LabKind,
  LabStart,
  LiveMode,
  LiveSourceInfo,
  TransportReport,
} from '../../shared/contract/api';
import type { LiveSource } from '../live/source';
import { LAB_HOST, pause } from './net';
import { prepareTcpUdpLab } from './tcp-udp/lab';
import { prepareWebSocketLab } from './websocket/lab';

/** A relay of the tap: the lab's client connects here instead of to the server. */
export interface LabRelay {
  host: string;
  port: number;
  close(): unknown;
}

/** What the labs need of the tap (electron/live/tap.ts). */
export interface TapSource extends LiveSource {
  tcpRelay(target: { host: string; port: number }): Promise<LabRelay>;
  udpRelay(
    target: { host: string; port: number },
    opts?: { lossPercent?: number; random?: () => number; onDrop?: () => void },
  ): Promise<LabRelay>;
}

/** How a lab gets its live source; electron/labs/sources.ts gives the real ones, tests may fake them. */
export interface LabSources {
  /** The capture helper on an interface with a BPF filter. */
  capture(opts: { iface: string; filter: string }): LiveSource & { readonly helper?: string };
  tap(): TapSource;
}

export interface LabOptions {
  /** The lab id events carry. */
  id: string;
  sources: LabSources;
  emit(e: LabEvent): void;
  /**
   * The lab's capture file, complete: called after the source has ended (TCP-vs-UDP measures its
   * report from it). Without it the report is left out of the 'done' event.
   */
  captureFile?: () => Promise<string>;
  /** WebSocket lab: actions run automatically after the handshake, paced (the CLI's script). */
  script?: readonly LabAction[];
  /** Ports tried first for the lab's servers (taken → any free port). */
  preferredPorts?: { websocket?: number; tcp?: number; udp?: number; relay?: number };
  /** Random numbers for the simulated loss (tests pass a seeded one). */
  random?: () => number;
  /** How long a UDP sender waits for each echo before counting the datagram lost. */
  udpWaitMs?: number;
  /** Pause before the source stops, so a capture helper still sees the last packets. */
  settleMs?: number;
}

/** The context a lab kind runs in: captions, pacing, the stop signal. */
export interface LabContext {
  readonly id: string;
  readonly mode: LiveMode;
  readonly paceMs: number;
  readonly signal: AbortSignal;
  readonly opts: LabOptions;
  /** True from the moment stop() is called (the signal aborts only after the sockets closed). */
  stopping(): boolean;
  step(text: string): void;
  sent(text: string): void;
  received(text: string): void;
  /** Waits `paceMs` (cut short by stop). */
  pace(): Promise<void>;
  /** The tap, in tap mode (created with the source). */
  tap(): TapSource;
}

/** One kind of lab, prepared (servers listening) but not yet talking. */
export interface PreparedLab {
  /** `127.0.0.1:PORT` or the remote URL. */
  target: string;
  /** Capture mode: interface and BPF filter covering exactly the lab's traffic. */
  iface: string;
  filter: string;
  /** The automatic part: connect, handshake, script; TCP-vs-UDP: everything, report included. */
  run(): Promise<{ report?: { tcp: TransportReport; udp: TransportReport }; summary: string }>;
  act(a: LabAction): Promise<void>;
  /** Closes every socket and server of the lab (idempotent). */
  close(): Promise<void>;
  /** TCP-vs-UDP: the report measured from the finished capture. */
  measure?(file: string): Promise<{ tcp: TransportReport; udp: TransportReport }>;
}

export interface Lab {
  readonly id: string;
  readonly kind: LabKind;
  readonly mode: LiveMode;
  readonly target: string;
  /** What the capture is called (`WebSocket lab (tap)`). */
  readonly name: string;
  readonly source: LiveSource;
  readonly live: LiveSourceInfo;
  /** Runs the lab's automatic part; resolves true when the lab completed ('done' sent). Never rejects. */
  run(): Promise<boolean>;
  act(a: LabAction): Promise<void>;
  /** Sockets closed, then the source stopped. Safe to call twice. */
  stop(): Promise<void>;
}

/** Pause between the last socket closing and the capture helper's stop (see stopAll). */
export const CAPTURE_SETTLE_MS = 600;
/** How long the capture helper must have delivered nothing before it is stopped, and the longest wait. */
const CAPTURE_QUIET_MS = 1000;
const CAPTURE_QUIET_MAX_MS = 5000;

/** The source, telling `seen` the time of every chunk it delivers. */
function watched(source: LiveSource, seen: (at: number) => void): LiveSource {
  return Object.assign(Object.create(source) as LiveSource, {
    start: (sink: Parameters<LiveSource['start']>[0]) =>
      source.start({
        data: (chunk) => {
          seen(Date.now());
          sink.data(chunk);
        },
        end: (problem) => sink.end(problem),
      }),
    stop: () => source.stop(),
  });
}

const KIND_NAMES: Record<LabKind, string> = { websocket: 'WebSocket lab', 'tcp-udp': 'TCP vs UDP lab' };

/** A URL the WebSocket lab accepts, or a plain-words reason it does not. */
export function checkLabUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `“${url}” is not a URL: give a ws:// or wss:// address such as ws://127.0.0.1:8080/chat.`;
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:')
    return `“${url}” is a ${u.protocol.replace(/:$/, '')} address: the WebSocket lab talks to ws:// or wss:// URLs only.`;
  if (!u.hostname) return `“${url}” names no host.`;
  return null;
}

/** Prepares a lab: its servers listen and its source exists; nothing has been sent yet. */
export async function createLab(start: LabStart, opts: LabOptions): Promise<Lab> {
  if (start.lab === 'websocket' && start.url) {
    const problem = checkLabUrl(start.url);
    if (problem) throw new Error(problem);
  }
  const abort = new AbortController();
  let stopRequested = false;
  let seq = 0;
  let tap: TapSource | null = null;
  const emit = (kind: LabEvent['kind'], text: string, report?: LabEvent['report']) => {
    const e: LabEvent = { lab: opts.id, seq: ++seq, kind, text, at: Date.now() };
    if (report) e.report = report;
    opts.emit(e);
  };
  const paceMs = Math.max(0, start.paceMs ?? 0);
  const ctx: LabContext = {
    id: opts.id,
    mode: start.mode,
    paceMs,
    signal: abort.signal,
    opts,
    stopping: () => stopRequested,
    step: (t) => emit('step', t),
    sent: (t) => emit('sent', t),
    received: (t) => emit('received', t),
    pace: () => pause(paceMs, abort.signal),
    tap: () => {
      if (!tap) throw new Error('The tap exists only in tap mode.');
      return tap;
    },
  };
  const prepared =
    start.lab === 'websocket' ? await prepareWebSocketLab(start, ctx) : await prepareTcpUdpLab(start, ctx);
  let source: LiveSource;
  let live: LiveSourceInfo;
  /** When the capture helper last delivered bytes (capture mode): the stop waits for a quiet moment. */
  let lastData = 0;
  try {
    if (start.mode === 'tap') {
      tap = opts.sources.tap();
      source = tap;
      live = { mode: 'tap', iface: 'tap', filter: '', lab: opts.id };
    } else {
      const helper = opts.sources.capture({ iface: prepared.iface, filter: prepared.filter });
      source = watched(helper, (at) => (lastData = at));
      live = { mode: 'capture', iface: prepared.iface, filter: prepared.filter, lab: opts.id };
      if (helper.helper) live.helper = helper.helper;
    }
  } catch (e) {
    await prepared.close();
    throw e;
  }

  let stopping: Promise<void> | null = null;
  let finished = false;
  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      stopRequested = true;
      // Sockets close politely first (the teardown is part of the lesson), then any wait is cut short.
      await prepared.close().catch(() => undefined);
      abort.abort();
      // dumpcap gets packets from libpcap in blocks retired by a 250 ms timeout and loses a
      // pending block when interrupted (measured: a stop 150 ms after the last packet lost it).
      // A helper on a busy machine may still be reading the last packets from the kernel, and a
      // packet not read when it is interrupted is lost: wait until it has delivered nothing for a
      // for CAPTURE_QUIET_MS (after settleMs at least, CAPTURE_QUIET_MAX_MS at most).
      if (start.mode === 'capture') {
        const settle = opts.settleMs ?? CAPTURE_SETTLE_MS;
        const began = Date.now();
        await pause(settle);
        while (Date.now() - lastData < CAPTURE_QUIET_MS && Date.now() - began < CAPTURE_QUIET_MAX_MS)
          await pause(100);
      }
      await source.stop().catch(() => undefined);
    })());

  const lab: Lab = {
    id: opts.id,
    kind: start.lab,
    mode: start.mode,
    target: prepared.target,
    name: `${KIND_NAMES[start.lab]} (${start.mode === 'tap' ? 'tap' : prepared.iface})`,
    source,
    live,
    async run() {
      try {
        const result = await prepared.run();
        await stopAll();
        let report = result.report;
        if (!report && prepared.measure && opts.captureFile) {
          report = await prepared.measure(await opts.captureFile());
        }
        finished = true;
        emit('done', result.summary, report);
        return true;
      } catch (e) {
        const stopped = stopRequested;
        await stopAll();
        if (stopped) emit('step', 'The lab was stopped before it finished.');
        else emit('error', e instanceof Error ? e.message : String(e));
        return false;
      }
    },
    act: (a) => {
      if (finished || stopRequested) return Promise.reject(new Error('This lab has ended: start it again.'));
      return prepared.act(a);
    },
    stop: stopAll,
  };
  return lab;
}

export { LAB_HOST };
