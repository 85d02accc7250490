// Live capture, the labs, the samples and "Save as pcapng": what the page asked the backend to
// start, what it said back (access, lab events, live.changed) and the windows that show it (the
// live-capture dialog, the labs layout, the samples list). The live capture itself is an ordinary
// capture in the capture slice; this slice keeps only what is particular to it.
import type { StateCreator } from 'zustand';
import {
  MAX_EXPORT_READ,
  type AppCommand,
  type CaptureId,
  type LabAction,
  type LabEvent,
  type LabInfo,
  type LabKind,
  type LabStart,
  type LiveAccess,
  type LiveMode,
  type LiveState,
  type SampleInfo,
  type TransportReport,
} from '../../shared/contract/api';
import type { Backend } from './backend';
import { noticeOfError } from './notices';
import type { Store } from './store';

export type Pacing = 'slow' | 'normal' | 'fast';

/** Milliseconds between a lab's automatic steps: slow enough for a class to follow, or flat out. */
export const PACE_MS: Record<Pacing, number> = { slow: 1500, normal: 300, fast: 0 };

/** The most lab events kept (a 1,000-message run must not grow the log without end). */
export const MAX_LAB_EVENTS = 500;

export interface Handshake {
  /** Frame of the upgrade request and its Sec-WebSocket-Key. */
  keyFrame: number;
  key: string;
  /** Frame of the 101 response and its Sec-WebSocket-Accept (0/'' until it is seen). */
  acceptFrame: number;
  accept: string;
}

export type Downloader = (name: string, data: Blob) => void;

export interface LiveSlice {
  liveAccess: LiveAccess | null;
  liveAccessLoading: boolean;
  liveAccessError: string | null;
  liveDialogOpen: boolean;
  liveStarting: boolean;
  /** The packet list keeps the newest packet in view while a live capture runs (off when the user scrolls up). */
  follow: boolean;

  labsOpen: boolean;
  labKind: LabKind;
  lab: LabInfo | null;
  labStarting: boolean;
  /** The lab's events, oldest first (the last MAX_LAB_EVENTS). */
  labEvents: LabEvent[];
  labReport: { tcp: TransportReport; udp: TransportReport } | null;
  labDone: boolean;
  labError: string | null;
  handshake: Handshake | null;

  samples: SampleInfo[] | null;
  samplesOpen: boolean;
  saving: boolean;
  /** A packet of the open capture carried the tap's comment (a saved tap capture opened again). */
  tapSeen: boolean;
  downloader: Downloader;

  openLiveDialog(): void;
  closeLiveDialog(): void;
  checkLiveAccess(): Promise<void>;
  startLive(iface: string, filter: string): Promise<boolean>;
  stopLive(): Promise<void>;
  setFollow(follow: boolean): void;

  openLabs(kind?: LabKind): void;
  closeLabs(): void;
  chooseLab(kind: LabKind): void;
  startLab(start: LabStart): Promise<boolean>;
  actLab(action: LabAction): Promise<void>;
  stopLab(): Promise<void>;
  findHandshake(): Promise<void>;

  loadSamples(): Promise<void>;
  setSamplesOpen(open: boolean): void;
  openSample(name: string): Promise<void>;
  /** Export the open capture as pcapng and hand it to the downloader (named from the ticket). */
  saveCapture(): Promise<boolean>;
  noteTap(): void;

  /** Subscribes to lab.event, live.changed and the commands this slice answers; returns the undo. */
  bindLive(): () => void;
  runLiveCommand(command: AppCommand): boolean;
  labEvent(e: LabEvent): void;
  liveChanged(p: { capture: CaptureId } & LiveState): void;
}

/** Whether a capture mode can be used with this access (the tap always can). */
export function modeAllowed(access: LiveAccess | null, mode: LiveMode): boolean {
  return mode === 'tap' || !!access?.permitted;
}

/**
 * Why capture mode is off, in a few plain words (the live-capture dialog has the whole message and
 * what to grant); null when it is available.
 */
export function captureModeReason(access: LiveAccess | null): string | null {
  if (!access) return 'Checking whether this computer lets Wirescope capture…';
  if (access.permitted) return null;
  if (!access.helper) return 'Neither dumpcap nor tcpdump is installed.';
  const first = (access.message ?? '').split(/ \(|\. /)[0].trim();
  return `${first ? first.replace(/\.$/, '') : `${access.helper} may not capture here`}.`;
}

function anchorDownload(name: string, data: Blob): void {
  if (typeof document === 'undefined') return;
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click has handed the URL to the download; revoke after the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const LIVE_COMMANDS: readonly AppCommand[] = [
  'live-capture',
  'labs',
  'lab-websocket',
  'lab-tcp-udp',
  'open-sample',
  'save-capture',
];

export function createLiveSlice(backend: Backend): StateCreator<Store, [], [], LiveSlice> {
  let handshakeAsk: Promise<void> | null = null;

  return (set, get) => ({
    liveAccess: null,
    liveAccessLoading: false,
    liveAccessError: null,
    liveDialogOpen: false,
    liveStarting: false,
    follow: true,

    labsOpen: false,
    labKind: 'websocket',
    lab: null,
    labStarting: false,
    labEvents: [],
    labReport: null,
    labDone: false,
    labError: null,
    handshake: null,

    samples: null,
    samplesOpen: false,
    saving: false,
    tapSeen: false,
    downloader: anchorDownload,

    openLiveDialog() {
      set({ liveDialogOpen: true });
      void get().checkLiveAccess();
    },
    closeLiveDialog: () => set({ liveDialogOpen: false }),

    async checkLiveAccess() {
      set({ liveAccessLoading: true, liveAccessError: null });
      try {
        const liveAccess = await backend.call('live.access');
        set({ liveAccess, liveAccessLoading: false });
      } catch (e) {
        set({ liveAccessLoading: false, liveAccessError: (e as Error).message });
      }
    },

    async startLive(iface, filter) {
      set({ liveStarting: true });
      try {
        const f = filter.trim();
        await backend.call('live.start', { iface, ...(f ? { filter: f } : {}) });
        set({ liveStarting: false, liveDialogOpen: false, follow: true, labsOpen: false });
        return true;
      } catch (e) {
        set({ liveStarting: false });
        get().notify(noticeOfError(`Capturing on ${iface} could not start`, e));
        return false;
      }
    },

    async stopLive() {
      const c = get().capture;
      if (!c) return;
      try {
        await backend.call('live.stop', { capture: c.info.id });
      } catch (e) {
        get().notify(noticeOfError('The live capture could not be stopped', e));
      }
    },

    setFollow: (follow) => {
      if (get().follow !== follow) set({ follow });
    },

    openLabs(kind) {
      set({ labsOpen: true, ...(kind ? { labKind: kind } : {}) });
      if (!get().liveAccess && !get().liveAccessLoading) void get().checkLiveAccess();
    },
    closeLabs: () => set({ labsOpen: false }),
    chooseLab(labKind) {
      if (get().lab && !get().labDone && get().lab?.kind !== labKind) return;
      set({ labKind });
    },

    async startLab(start) {
      const prev = get().lab;
      if (prev && !get().labDone) await get().stopLab();
      set({
        labStarting: true,
        labKind: start.lab,
        labEvents: [],
        labReport: null,
        labDone: false,
        labError: null,
        handshake: null,
        follow: true,
      });
      try {
        const lab = await backend.call('lab.start', start);
        // Events may have come before the answer (the lab runs at once): keep those of this lab.
        set((s) => ({
          lab,
          labStarting: false,
          labEvents: s.labEvents.filter((e) => e.lab === lab.lab),
        }));
        return true;
      } catch (e) {
        set({ labStarting: false, labError: (e as Error).message });
        get().notify(noticeOfError('The lab could not start', e));
        return false;
      }
    },

    async actLab(action) {
      const lab = get().lab;
      if (!lab) return;
      try {
        await backend.call('lab.act', { lab: lab.lab, ...action });
      } catch (e) {
        get().notify(noticeOfError('The lab could not do that', e));
      }
    },

    async stopLab() {
      const lab = get().lab;
      if (!lab) return;
      try {
        await backend.call('lab.stop', { lab: lab.lab });
        set({ labDone: true });
      } catch (e) {
        get().notify(noticeOfError('The lab could not be stopped', e));
      }
    },

    async findHandshake() {
      if (handshakeAsk) return handshakeAsk;
      const run = async () => {
        const c = get().capture;
        if (!c) return;
        const id = c.info.id;
        const have = get().handshake;
        const find = (text: string) =>
          backend.call('packets.find', { capture: id, from: 0, kind: 'filter', text });
        const valueOf = async (frame: number, abbrev: string): Promise<string> => {
          const d = await backend.call('packets.detail', { capture: id, frame });
          if (!d) return '';
          let found = '';
          const walk = (items: readonly { abbrev: string; value: unknown; children?: unknown[] }[]) => {
            for (const it of items) {
              if (found) return;
              if (it.abbrev === abbrev && typeof it.value === 'string') found = it.value;
              else if (it.children) walk(it.children as typeof items);
            }
          };
          for (const l of d.dissection.layers) walk(l.items);
          return found;
        };
        try {
          let h = have;
          if (!h) {
            const keyFrame = await find('http.sec_websocket_key');
            if (!keyFrame) return;
            const key = await valueOf(keyFrame, 'http.sec_websocket_key');
            if (!key) return;
            h = { keyFrame, key, acceptFrame: 0, accept: '' };
          }
          if (!h.accept) {
            const acceptFrame = await find('http.sec_websocket_accept');
            if (acceptFrame)
              h = { ...h, acceptFrame, accept: await valueOf(acceptFrame, 'http.sec_websocket_accept') };
          }
          if (get().capture?.info.id === id) set({ handshake: h });
        } catch {
          // Not indexed yet, or no HTTP here: the next progress asks again.
        }
      };
      handshakeAsk = run().finally(() => {
        handshakeAsk = null;
      });
      return handshakeAsk;
    },

    async loadSamples() {
      try {
        set({ samples: await backend.call('samples.list') });
      } catch {
        set({ samples: [] });
      }
    },
    setSamplesOpen(samplesOpen) {
      set({ samplesOpen });
      if (samplesOpen) void get().loadSamples();
    },
    async openSample(name) {
      try {
        await backend.call('samples.open', { name });
        set({ samplesOpen: false, labsOpen: false });
      } catch (e) {
        get().notify(noticeOfError(`The sample ${name} could not be opened`, e));
      }
    },

    async saveCapture() {
      const c = get().capture;
      if (!c || get().saving) return false;
      set({ saving: true });
      try {
        const ticket = await backend.call('capture.export', { capture: c.info.id });
        const parts: Uint8Array[] = [];
        let offset = 0;
        while (offset < ticket.size) {
          const length = Math.min(MAX_EXPORT_READ, ticket.size - offset);
          const piece = await backend.call('export.read', { export: ticket.export, offset, length });
          if (piece.byteLength === 0)
            throw new Error(`The export ended early, at byte ${offset} of ${ticket.size}.`);
          parts.push(piece);
          offset += piece.byteLength;
        }
        get().downloader(ticket.name, new Blob(parts as BlobPart[], { type: 'application/x-pcapng' }));
        set({ saving: false });
        get().notify({
          tone: 'info',
          title: `Saved ${ticket.name}`,
          message: `${ticket.packets.toLocaleString('en-US')} packets as pcapng, with interface names, the capture filter and packet comments.`,
        });
        return true;
      } catch (e) {
        set({ saving: false });
        get().notify(noticeOfError(`${c.info.name} could not be saved`, e));
        return false;
      }
    },

    noteTap() {
      if (!get().tapSeen) set({ tapSeen: true });
    },

    bindLive() {
      const offs = [
        backend.on('lab.event', (e) => get().labEvent(e)),
        backend.on('live.changed', (p) => get().liveChanged(p)),
        backend.on('app.command', ({ command }) => void get().runLiveCommand(command)),
      ];
      return () => {
        for (const off of offs) off();
      };
    },

    runLiveCommand(command) {
      if (!LIVE_COMMANDS.includes(command)) return false;
      const s = get();
      if (command === 'live-capture') s.openLiveDialog();
      else if (command === 'labs') s.openLabs();
      else if (command === 'lab-websocket') s.openLabs('websocket');
      else if (command === 'lab-tcp-udp') s.openLabs('tcp-udp');
      else if (command === 'open-sample') s.setSamplesOpen(true);
      else if (command === 'save-capture') void s.saveCapture();
      return true;
    },

    labEvent(e) {
      const lab = get().lab;
      // Before lab.start answers the id is unknown: keep every event, startLab filters them.
      if (lab && e.lab !== lab.lab) return;
      set((s) => ({
        labEvents: [...s.labEvents, e].slice(-MAX_LAB_EVENTS),
        ...(e.kind === 'done' ? { labDone: true, labReport: e.report ?? s.labReport } : {}),
        ...(e.kind === 'error' ? { labDone: true, labError: e.text } : {}),
      }));
    },

    liveChanged(p) {
      const c = get().capture;
      if (!c || c.info.id !== p.capture) return;
      set({ capture: { ...c, live: { running: p.running, problem: p.problem } } });
      if (!p.running && p.problem) {
        const n = c.progress.packets;
        get().notify({
          tone: 'warning',
          title: `The capture on ${c.info.live?.iface ?? 'the interface'} stopped on its own`,
          message: p.problem,
          kept: `The ${n.toLocaleString('en-US')} packet${n === 1 ? '' : 's'} captured before it stopped are kept.`,
        });
      }
    },
  });
}
