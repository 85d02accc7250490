// The capture helper, as Wireshark captures: a separate process (dumpcap, else tcpdump) opens the
// interface with whatever rights it was granted and writes the capture stream to its stdout
// (`-w -`); the app reads the pipe and never runs privileged. Interface and BPF filter are argv
// elements of a spawn without a shell, so no filter text is ever interpreted by one.
//
// Measured here (Debian 12, dumpcap 4.0.17, tcpdump 4.99.3 / libpcap 1.10.3, loopback): dumpcap
// flushes the pipe after every packet but libpcap hands it packets in TPACKET_V3 blocks retired by
// its 250 ms read timeout, so a packet reaches stdout 0–250 ms after its timestamp (p50 ~115 ms,
// p95 ~230 ms) and dumpcap 4.0 has no option for immediate mode. tcpdump with `-U` alone waits for
// its 1 s buffer timeout (p50 ~650 ms); with `--immediate-mode` a packet arrives within 1 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { LiveSink, LiveSource } from './source';
import { permissionAdvice, missingHelperAdvice } from './privileges';

export type HelperName = 'dumpcap' | 'tcpdump';

export interface FoundHelper {
  name: HelperName;
  path: string;
}

/** Where the helpers live besides PATH: system dirs, Homebrew, MacPorts, Wireshark's installs. */
function searchDirs(): string[] {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  if (process.platform === 'win32') {
    for (const base of [process.env.ProgramFiles, process.env['ProgramFiles(x86)'], 'C:\\Program Files'])
      if (base) dirs.push(join(base, 'Wireshark'));
  } else {
    dirs.push(
      '/usr/sbin',
      '/usr/bin',
      '/sbin',
      '/usr/local/sbin',
      '/usr/local/bin',
      '/opt/homebrew/bin',
      '/opt/local/bin',
      '/opt/local/sbin',
      '/Applications/Wireshark.app/Contents/MacOS',
    );
  }
  return [...new Set(dirs)];
}

/**
 * An installed program: a file with an execute bit for someone. Not access(X_OK): Debian's
 * dumpcap is executable only by the wireshark group, and a user outside it must hear "join the
 * group", not "not installed".
 */
function isProgram(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isFile() && (process.platform === 'win32' || (st.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}

/** The path of one helper, or null when it is not installed where helpers live. */
export function locateHelper(name: HelperName): string | null {
  const file = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of searchDirs()) {
    const p = join(dir, file);
    if (isProgram(p)) return p;
  }
  return null;
}

/** The capture helper to use: `prefer` when installed, else dumpcap (Wireshark's), else tcpdump. */
/** libpcap's read timeout in dumpcap (250 ms) and a margin: see stop(). */
const DUMPCAP_HOLD_MS = 300;

export function findHelper(prefer?: HelperName): FoundHelper | null {
  const order: HelperName[] = prefer === 'tcpdump' ? ['tcpdump', 'dumpcap'] : ['dumpcap', 'tcpdump'];
  for (const name of order) {
    const path = locateHelper(name);
    if (path) return { name, path };
  }
  return null;
}

export interface CaptureHelperOptions {
  iface: string;
  /** BPF capture filter (libpcap syntax); '' or absent = everything. */
  filter?: string;
  /** Use exactly this helper (start fails when it is not installed); default: findHelper(). */
  helper?: HelperName;
  snaplen?: number;
  /** Stop after this many packets (the helper's own -c). */
  count?: number;
  /** Stop after this many seconds (dumpcap's -a duration:S; a timer for tcpdump, which has none). */
  durationS?: number;
  /** How long start() waits for the helper to say it captures (default 10 s). */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGINT before SIGTERM, then SIGKILL (default 3 s each). */
  stopGraceMs?: number;
  /** Runs the helper as this user (needs root): how tests see the not-permitted path. */
  user?: { uid: number; gid: number };
  /** What the views call it; default the interface name. */
  label?: string;
}

export type CaptureHelperSource = LiveSource & {
  readonly helper: HelperName;
  readonly format: 'pcap' | 'pcapng';
  readonly args: readonly string[];
  /** The helper's executable. */
  readonly path: string;
  /** Its process id while it runs (undefined before start). */
  readonly pid: number | undefined;
};

function positiveInt(what: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isInteger(v) && v > 0))
    throw new RangeError(`${what} must be a positive whole number, not ${v}`);
}

/** The helper's argv (no shell ever sees it). */
export function helperArgs(helper: HelperName, o: CaptureHelperOptions): string[] {
  const a = ['-i', o.iface];
  if (helper === 'dumpcap') {
    // -q: no "Packets: N" counter on stderr (it would fill the buffer we keep for messages).
    if (o.filter) a.push('-f', o.filter);
    a.push('-w', '-', '-q');
    if (o.count) a.push('-c', String(o.count));
    if (o.durationS) a.push('-a', `duration:${o.durationS}`);
    if (o.snaplen) a.push('-s', String(o.snaplen));
    return a;
  }
  // -U: flush per packet; --immediate-mode: libpcap delivers each packet at once instead of
  // after its 1 s buffer timeout. `--` so a filter can never be read as an option.
  // -B: in immediate mode libpcap's ring holds whole snaplen-sized slots (262144 bytes each), so
  // its default 2 MiB holds only 8 packets; a burst while tcpdump waits for the CPU was dropped by
  // the kernel ("8 packets dropped by kernel" on a loaded machine). 32 MiB holds 128.
  a.push('-U', '--immediate-mode', '-B', '32768', '-w', '-');
  if (o.count) a.push('-c', String(o.count));
  if (o.snaplen) a.push('-s', String(o.snaplen));
  if (o.filter) a.push('--', o.filter);
  return a;
}

// ---------------------------------------------------------------------------------------------
// Children are killed when this process exits, whatever ends it through Node ('exit' runs for
// process.exit, the end of the event loop and the CLI's own SIGINT handling). A parent killed
// outright leaves the helper to die of SIGPIPE at its next packet.

const children = new Set<ChildProcess>();
let exitHook = false;

function track(child: ChildProcess): void {
  children.add(child);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const c of children) {
      try {
        c.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
}

/** Helper processes this process started that are still running (tests check none are left). */
export function runningHelpers(): number {
  return children.size;
}

// ---------------------------------------------------------------------------------------------
/**
 * Packets the kernel dropped because the helper's buffer was full, from its closing statistics
 * (tcpdump: "N packets dropped by kernel"; dumpcap: "Packets received/dropped on interface 'lo': R/D").
 */
export function droppedByKernel(stderr: string): number {
  let n = 0;
  stderr = stderr.replace(/\r/g, '\n');
  for (const m of stderr.matchAll(/^(\d+) packets? dropped by kernel/gm)) n += Number(m[1]);
  for (const m of stderr.matchAll(/^Packets received\/dropped on interface .*: \d+\/(\d+) /gm))
    n += Number(m[1]);
  return n;
}

// The helper's stderr in plain words.

/** Lines that only say the helper works (or counts): not a problem to report. */
const CHATTER =
  /^(Capturing on |File: |tcpdump: listening on |listening on |Packets captured: |Packets received\/dropped |Packets: |\d+ packets? (captured|received by filter|dropped by kernel)|Please check to make sure you have sufficient permissions)/;

/**
 * The helper's own words about what went wrong: its first message (dumpcap's advice paragraphs
 * after the blank line dropped), with its `dumpcap: ` prefix removed.
 */
export function helperMessage(stderr: string, helper: HelperName): string {
  const lines = stderr.replace(/\r/g, '\n').split('\n');
  const kept: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) {
      if (kept.length) break;
      continue;
    }
    if (CHATTER.test(line)) continue;
    kept.push(line.startsWith(`${helper}: `) ? line.slice(helper.length + 2) : line);
    if (kept.length === 3) break;
  }
  return kept.join(' ');
}

function startError(
  helper: FoundHelper,
  o: CaptureHelperOptions,
  stderr: string,
  code: number | null,
  signal: NodeJS.Signals | null,
): Error {
  const said = helperMessage(stderr, helper.name);
  const how = signal ? `killed by ${signal}` : `exit code ${code}`;
  const iface = `"${o.iface}"`;
  if (/permission|not permitted|EPERM|access is denied|access denied/i.test(said)) {
    const advice = permissionAdvice(helper, process.platform);
    return new Error(`${helper.name} may not capture on ${iface}: ${said} ${advice.message}`);
  }
  if (/no such device|no device named|doesn't exist|does not exist|no longer attached/i.test(said))
    return new Error(`${helper.name} cannot capture on ${iface}: there is no such interface (${said}).`);
  if (/not up/i.test(said))
    return new Error(`${helper.name} cannot capture on ${iface}: the interface is down (${said}).`);
  if (o.filter && /filter|syntax error|parse|illegal|unknown host|invalid/i.test(said))
    return new Error(`The capture filter "${o.filter}" is not valid (${helper.name} on ${iface}): ${said}`);
  return new Error(`${helper.name} could not start capturing on ${iface} (${how})${said ? `: ${said}` : ''}`);
}

// ---------------------------------------------------------------------------------------------

const KEEP_STDERR = 16 << 10;

type Phase = 'idle' | 'starting' | 'running' | 'ended';

class HelperSource implements CaptureHelperSource {
  readonly format: 'pcap' | 'pcapng';
  readonly label: string;
  private phase: Phase = 'idle';
  private child: ChildProcess | null = null;
  private stderr = '';
  private stopRequested = false;
  private closed: Promise<void> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private failStart: ((e: Error) => void) | null = null;
  /** The sink threw (disk full…): the capture stops and ends with this. */
  private sinkFailure: string | null = null;

  constructor(
    private readonly found: FoundHelper,
    private readonly opts: CaptureHelperOptions,
    readonly args: readonly string[],
  ) {
    this.format = found.name === 'dumpcap' ? 'pcapng' : 'pcap';
    this.label = opts.label ?? opts.iface;
  }

  get helper(): HelperName {
    return this.found.name;
  }

  get path(): string {
    return this.found.path;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(sink: LiveSink): Promise<void> {
    if (this.phase !== 'idle')
      return Promise.reject(new Error(`${this.label}: this capture was already started`));
    this.phase = 'starting';
    const { found, opts } = this;
    let markClosed!: () => void;
    this.closed = new Promise((r) => (markClosed = r));
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      // Held until the helper says it captures, so a start that fails delivers nothing.
      const held: Uint8Array[] = [];
      const child = spawn(found.path, this.args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid, cwd: '/' } : {}),
      });
      this.child = child;
      track(child);

      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        this.failStart = null;
        this.phase = 'ended';
        this.clearTimers();
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        reject(e);
      };
      this.failStart = fail;
      const ready = () => {
        if (settled) return;
        settled = true;
        this.failStart = null;
        this.phase = 'running';
        this.clearTimers();
        for (const c of held) this.deliver(sink, c);
        held.length = 0;
        // tcpdump has no duration stop: a timer stops it as dumpcap's -a duration would.
        if (found.name === 'tcpdump' && opts.durationS)
          this.timers.push(setTimeout(() => void this.stop(), opts.durationS * 1000));
        resolve();
      };
      const limit = opts.startTimeoutMs ?? 10_000;
      this.timers.push(
        setTimeout(() => {
          const said = helperMessage(this.stderr, found.name);
          fail(
            new Error(
              `${found.name} did not start capturing on "${opts.iface}" within ${limit / 1000} s${said ? `: ${said}` : ''}`,
            ),
          );
        }, limit),
      );

      child.stdout!.on('data', (b: Buffer) => {
        const chunk = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        if (this.phase === 'running') this.deliver(sink, chunk);
        else if (this.phase === 'starting') {
          held.push(chunk);
          // Both write the file header only once the interface is open and the filter set
          // (dumpcap prints "Capturing on" before opening, so that line proves nothing).
          ready();
        }
      });
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (s: string) => {
        this.stderr = (this.stderr + s).slice(-KEEP_STDERR);
        if (this.phase !== 'starting') return;
        if (found.name === 'dumpcap' ? /^File: /m.test(this.stderr) : /listening on /.test(this.stderr))
          ready();
      });
      child.on('error', (e) => {
        // Spawn failures (ENOENT, EACCES); a running child's later errors end in 'close'.
        if (child.pid === undefined) {
          children.delete(child);
          markClosed();
        }
        fail(new Error(`${found.name} (${found.path}) could not be run: ${e.message}`));
      });
      child.on('close', (code, signal) => {
        children.delete(child);
        this.clearTimers();
        if (this.phase === 'starting') {
          fail(
            this.stopRequested
              ? new Error(`${found.name} on "${opts.iface}" was stopped before it started capturing`)
              : startError(found, opts, this.stderr, code, signal),
          );
        } else if (this.phase === 'running') {
          this.phase = 'ended';
          sink.end(this.endProblem(code, signal));
        }
        markClosed();
      });
    });
  }

  /** A sink that throws must not become an uncaught exception in a stream handler. */
  private deliver(sink: LiveSink, chunk: Uint8Array): void {
    if (this.sinkFailure) return;
    try {
      sink.data(chunk);
    } catch (e) {
      this.sinkFailure = `the captured packets could not be kept (${e instanceof Error ? e.message : String(e)}); ${this.found.name} was stopped`;
      void this.stop();
    }
  }

  /** Why the helper ended, or null when it was asked to (stop, its own count or duration). */
  private endProblem(code: number | null, signal: NodeJS.Signals | null): string | null {
    if (this.sinkFailure) return this.sinkFailure;
    const dropped = droppedByKernel(this.stderr);
    if (dropped) {
      return `${this.found.name} on "${this.opts.iface}" could not keep up: ${dropped} packet${dropped === 1 ? ' was' : 's were'} dropped by the kernel, so the capture is missing them`;
    }
    if (this.stopRequested) return null;
    const said = helperMessage(this.stderr, this.found.name);
    const limited = !!(this.opts.count || this.opts.durationS);
    // dumpcap exits 0 when its interface disappears, saying so: only its silence means done.
    if (code === 0 && limited && !said) return null;
    const how = signal ? `killed by ${signal}` : code === 0 ? 'exited' : `exit code ${code}`;
    return `${this.found.name} stopped on its own: ${how}${said ? `, ${said}` : ''}`;
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || this.phase === 'ended' || this.phase === 'idle') {
      if (this.phase === 'idle') this.phase = 'ended';
      return this.closed;
    }
    if (!this.stopRequested) {
      this.stopRequested = true;
      this.clearTimers();
      if (this.phase === 'starting') {
        this.failStart?.(
          new Error(`${this.found.name} on "${this.opts.iface}" was stopped before it started capturing`),
        );
      } else {
        const grace = this.opts.stopGraceMs ?? 3000;
        // SIGINT: both write their last packets (dumpcap its statistics block) and exit 0. But
        // dumpcap 4.0 drops what libpcap still holds when interrupted: packets are handed over
        // only when its 250 ms read timeout fires (a stop 100 ms after a short exchange wrote
        // none of it). So dumpcap is interrupted once that timeout has surely fired.
        const hold = this.found.name === 'dumpcap' ? DUMPCAP_HOLD_MS : 0;
        const interrupt = setTimeout(() => child.kill('SIGINT'), hold);
        void this.closed.then(() => clearTimeout(interrupt));
        const t1 = setTimeout(() => child.kill('SIGTERM'), hold + grace);
        const t2 = setTimeout(() => child.kill('SIGKILL'), hold + 2 * grace);
        t1.unref();
        t2.unref();
        void this.closed.then(() => {
          clearTimeout(t1);
          clearTimeout(t2);
        });
      }
    }
    return this.closed;
  }
}

/**
 * A LiveSource that runs a capture helper on `opts.iface`. Throws (plain words, what to install)
 * when no helper, or not the one asked for, is installed; start() rejects when the helper cannot
 * capture (not permitted with what to grant, no such interface, bad filter, timeout).
 */
export function captureHelper(opts: CaptureHelperOptions): CaptureHelperSource {
  if (!opts.iface || opts.iface.includes('\0'))
    throw new RangeError(`"${opts.iface}" is not an interface name`);
  if (opts.filter?.includes('\0')) throw new RangeError('a capture filter cannot contain a NUL character');
  positiveInt('snaplen', opts.snaplen);
  positiveInt('count', opts.count);
  positiveInt('duration', opts.durationS);
  let found: FoundHelper | null;
  if (opts.helper) {
    const path = locateHelper(opts.helper);
    if (!path)
      throw new Error(
        `${opts.helper} is not installed. ${missingHelperAdvice(process.platform, opts.helper)}`,
      );
    found = { name: opts.helper, path };
  } else {
    found = findHelper();
    if (!found)
      throw new Error(`Neither dumpcap nor tcpdump is installed. ${missingHelperAdvice(process.platform)}`);
  }
  return new HelperSource(found, opts, helperArgs(found.name, opts));
}

export interface HelperRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Set when it could not be run at all. */
  error?: string;
}

/** Runs a helper to completion (listing, probing), bounded in time; never through a shell. */
export function runHelper(
  path: string,
  args: readonly string[],
  opts: { user?: { uid: number; gid: number }; timeoutMs?: number } = {},
): Promise<HelperRun> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let error: string | undefined;
    const child = spawn(path, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid, cwd: '/' } : {}),
    });
    track(child);
    const timer = setTimeout(() => {
      error = `${path} ${args.join(' ')} did not finish within ${(opts.timeoutMs ?? 5000) / 1000} s`;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 5000);
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (s: string) => (stdout += s));
    child.stderr!.on('data', (s: string) => (stderr = (stderr + s).slice(-KEEP_STDERR)));
    child.on('error', (e) => {
      error ??= e.message;
      if (child.pid === undefined) {
        clearTimeout(timer);
        children.delete(child);
        resolve({ code: null, signal: null, stdout, stderr, error });
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, stdout, stderr, ...(error ? { error } : {}) });
    });
  });
}
