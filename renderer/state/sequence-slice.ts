// The sequence diagram's state and the window's one playback clock. The diagram shows the
// messages of chosen conversations (fetched with `messages.list`, both levels at once, so the
// level switch needs no new request); how it is drawn (level, spacing, lifelines per socket or
// host, hidden/renamed/reordered lifelines, row zoom) lives here so the export and the projection
// draw the same thing.
//
// The clock counts steps: `playPosition` p means step floor(p) is current and its packet has
// travelled the fraction p − floor(p) of its arrow. At 1× one step takes a second. The clock is
// driven from here (requestAnimationFrame where there is one), never from a view's timer, and it
// selects each step's packet so the list, the details, the bytes and the layer stack follow it.
//
// Live (issue #6): while the capture is live (CaptureInfo.live, phase 'indexing') the diagram is
// fetched again as `capture.progress` events arrive, coalesced: one request in flight at most, the
// next right after it when packets arrived meanwhile, so a burst never queues requests. In
// "every conversation" mode (`followLive`, `seqAll`) new conversations appear as they start. The
// playhead stays at the newest message (each new arrow animated in at the current speed; more than
// CATCH_UP behind, it jumps so the last ones animate) until the user pauses, steps back or
// scrubs; then the view offers "N new — jump to live" (`jumpToLive`).
import type { StateCreator } from 'zustand';
import { MAX_DIAGRAM_STREAMS, MAX_EXPORT_READ } from '../../shared/contract/api';
import type { DiagramLevel, LifelineMode, Spacing } from '../../shared/diagram';
import type { ConversationSummary, Message } from '../../shared/messages/messages';
import type { Backend } from './backend';
import type { Store } from './store';

export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10] as const;

/** Just short of the end of a step's arrow: the packet has arrived. */
const ARRIVED = 0.999;

/** Live: the newest arrows animated when many arrive at once (the rest appear drawn). */
export const CATCH_UP = 3;

/** Whether packets still arrive: a live capture (or a lab's) whose pass still runs. */
export function captureIsLive(s: Pick<Store, 'capture'>): boolean {
  const c = s.capture;
  return !!c && !!c.info.live && c.phase === 'indexing' && c.live?.running !== false;
}

export interface SequenceSlice {
  /** Capture the diagram belongs to (a new capture clears it). */
  seqCapture: string | null;
  /** Chosen conversations, `tcp:N` / `udp:N`, in the order chosen (empty with `seqAll`). */
  seqStreams: string[];
  /** Every conversation of the capture is drawn; new ones appear as they start (live). */
  seqAll: boolean;
  /** Live: the playhead follows the newest message (false once the user pauses or scrubs back). */
  seqAtLive: boolean;
  seqMessages: Message[] | null;
  seqConversations: ConversationSummary[];
  seqLoading: boolean;
  seqError: string | null;
  seqLevel: DiagramLevel;
  seqSpacing: Spacing;
  seqMode: LifelineMode;
  seqHidden: string[];
  seqNames: Record<string, string>;
  seqOrder: string[];
  /** Row spacing factor (time zoom). */
  seqZoom: number;

  playing: boolean;
  playSpeed: number;
  playLoop: boolean;
  playPosition: number;
  /** Steps of the diagram as drawn (the view sets it from its layout). */
  playCount: number;
  /** Where a single step's travel stops (stepping while paused animates one arrow). */
  playStopAt: number | null;
  projection: boolean;
  /** Projection mode: the screen is blanked (B). */
  blanked: boolean;
  /**
   * The frame of step n as the view laid it out (the rows depend on the level and the hidden
   * lifelines); the view registers it, the clock reads it to select each step's packet.
   */
  seqStepFrame: ((step: number) => number | null) | null;

  diagramStreams(streams: string[]): Promise<void>;
  /**
   * Diagrams every conversation of `captureId` (on), refreshed as packets arrive while it is
   * live; off keeps the conversations drawn so far as the chosen ones.
   */
  followLive(captureId: string, on: boolean): Promise<void>;
  /** Fetches the diagram's messages again (coalesced: one request in flight, one more after). */
  refreshSequence(): Promise<void>;
  /** Back to the newest message, following it again. */
  jumpToLive(): void;
  /**
   * The diagrammed conversations as pcapng (`capture.export`, read with `export.read`): the
   * pieces of the file and its suggested name. Every conversation with `seqAll`.
   */
  exportDiagramPcapng(): Promise<{ name: string; parts: Uint8Array[]; packets: number }>;
  toggleDiagramStream(stream: string): Promise<void>;
  setDiagramLevel(level: DiagramLevel): void;
  setDiagramSpacing(spacing: Spacing): void;
  setLifelineMode(mode: LifelineMode): void;
  hideLifeline(id: string): void;
  showAllLifelines(): void;
  renameLifeline(id: string, name: string): void;
  reorderLifelines(order: string[]): void;
  setDiagramZoom(zoom: number): void;
  resetSequence(): void;

  play(): void;
  pause(): void;
  togglePlay(): void;
  stepForward(): void;
  stepBack(): void;
  stepFirst(): void;
  stepLast(): void;
  seek(position: number): void;
  setSpeed(speed: number): void;
  faster(): void;
  slower(): void;
  setLoop(loop: boolean): void;
  setPlayCount(count: number): void;
  /** Advances the clock by `ms` of wall time (the driver calls it each frame). */
  tick(ms: number): void;
  setProjection(on: boolean): void;
  setBlanked(on: boolean): void;
  registerStepFrame(fn: ((step: number) => number | null) | null): void;
}

type Frame = (cb: (t: number) => void) => number;

export function createSequenceSlice(backend: Backend): StateCreator<Store, [], [], SequenceSlice> {
  let request = 0;
  let driving = false;
  let refreshing = false;
  let again = false;
  /** The levels the messages on hand were fetched at (a live refresh fetches the shown one only). */
  let fetched: DiagramLevel = 'both';
  /** Which diagram the messages on hand are of (capture, streams, level), for `after` refreshes. */
  let fetchedKey = '';

  return (set, get, api) => {
    const raf: Frame =
      typeof requestAnimationFrame === 'function'
        ? (cb) => requestAnimationFrame(cb)
        : (cb) => setTimeout(() => cb(Date.now()), 16) as unknown as number;

    const drive = () => {
      if (driving) return;
      driving = true;
      let last: number | null = null;
      const frame = (t: number) => {
        if (!get().playing) {
          driving = false;
          return;
        }
        if (last !== null) get().tick(Math.min(250, t - last));
        last = t;
        raf(frame);
      };
      raf(frame);
    };

    /** Selects the packet of the current step when the step changes. */
    const follow = (before: number, force = false) => {
      const { playPosition, seqMessages } = get();
      const step = Math.floor(playPosition);
      if (!force && step === Math.floor(before)) return;
      const frame = get().seqStepFrame?.(step);
      if (frame && seqMessages && get().frame !== frame) void get().selectFrame(frame);
    };

    /** Moves the clock; `force`: select the step's packet even when the step is the same. */
    const moveTo = (p: number, extra: Partial<SequenceSlice> = {}, force = false) => {
      const before = get().playPosition;
      const n = get().playCount;
      set({ playPosition: n ? Math.max(0, Math.min(n - 1 + ARRIVED, p)) : 0, ...extra });
      follow(before, force);
    };

    /** One refresh of the drawn conversations; a newer diagramStreams wins over it. */
    const fetchOnce = async () => {
      const { seqCapture, seqStreams, seqAll, seqLevel, capture } = get();
      if (!capture || seqCapture !== capture.info.id || (!seqAll && !seqStreams.length)) return;
      const mine = request;
      // While packets arrive only the level shown is fetched: half the messages to make, send and
      // lay out on every refresh (the level switch then fetches again).
      const live = captureIsLive(get());
      const level = live && seqLevel !== 'both' ? seqLevel : undefined;
      const streams = seqAll ? [] : seqStreams;
      // While live, a refresh of the same diagram asks only for messages after the newest frame it
      // has (earlier frames are final): the copy per refresh stays small however long the lab runs.
      const key = JSON.stringify([seqCapture, streams, level ?? 'both']);
      const old = get().seqMessages;
      const after = live && old && key === fetchedKey && old.length ? old[old.length - 1].frame : undefined;
      try {
        const input: Parameters<typeof backend.call<'messages.list'>>[1] = { capture: seqCapture, streams };
        if (level) input.level = level;
        if (after !== undefined) input.after = after;
        const r = await backend.call('messages.list', input);
        if (mine !== request) return;
        fetched = level ?? 'both';
        fetchedKey = key;
        const messages =
          after !== undefined && old ? (r.messages.length ? [...old, ...r.messages] : old) : r.messages;
        set({
          seqMessages: messages,
          seqConversations: r.conversations,
          seqLoading: false,
          seqError: null,
        });
      } catch (e) {
        if (mine !== request) return;
        set({ seqLoading: false, seqError: (e as Error).message });
      }
    };

    // Packets arrived in a live capture, or its pass ended: the diagram is fetched again.
    api.subscribe((s, prev) => {
      const c = s.capture;
      const p = prev.capture;
      if (!c || !p || c.info.id !== p.info.id || c.info.id !== s.seqCapture) return;
      if (!s.seqAll && !s.seqStreams.length) return;
      // (A state without progress is a test's stand-in.)
      const grew = c.progress?.packets !== p.progress?.packets && captureIsLive(s);
      const ended = p.phase === 'indexing' && c.phase !== 'indexing';
      if (grew || ended) void get().refreshSequence();
    });

    const speedIndex = () => {
      const s = get().playSpeed;
      let best = 0;
      SPEEDS.forEach((v, i) => {
        if (Math.abs(v - s) < Math.abs(SPEEDS[best] - s)) best = i;
      });
      return best;
    };

    return {
      seqCapture: null,
      seqStreams: [],
      seqAll: false,
      seqAtLive: true,
      seqMessages: null,
      seqConversations: [],
      seqLoading: false,
      seqError: null,
      seqLevel: 'application',
      seqSpacing: 'time',
      seqMode: 'socket',
      seqHidden: [],
      seqNames: {},
      seqOrder: [],
      seqZoom: 1,

      playing: false,
      playSpeed: 1,
      playLoop: false,
      playPosition: 0,
      playCount: 0,
      playStopAt: null,
      projection: false,
      blanked: false,
      seqStepFrame: null,

      async diagramStreams(streams) {
        const capture = get().capture;
        if (!capture) return;
        const mine = ++request;
        const id = capture.info.id;
        const same = get().seqCapture === id;
        set({
          seqCapture: id,
          seqStreams: streams,
          seqAll: false,
          seqAtLive: true,
          seqLoading: true,
          seqError: null,
          playing: false,
          playPosition: 0,
          playStopAt: null,
          ...(same ? {} : { seqHidden: [], seqNames: {}, seqOrder: [] }),
        });
        if (!streams.length) {
          set({ seqMessages: null, seqConversations: [], seqLoading: false });
          return;
        }
        try {
          const r = await backend.call('messages.list', { capture: id, streams });
          if (mine !== request) return;
          fetched = 'both';
          set({ seqMessages: r.messages, seqConversations: r.conversations, seqLoading: false });
        } catch (e) {
          if (mine !== request) return;
          set({ seqMessages: null, seqConversations: [], seqLoading: false, seqError: (e as Error).message });
        }
      },

      async followLive(captureId, on) {
        const capture = get().capture;
        if (!capture || capture.info.id !== captureId) return;
        if (!on) {
          if (!get().seqAll) return;
          await get().diagramStreams(get().seqConversations.map((c) => c.stream));
          return;
        }
        request++;
        const same = get().seqCapture === captureId;
        set({
          seqCapture: captureId,
          seqStreams: [],
          seqAll: true,
          seqAtLive: true,
          seqLoading: true,
          seqError: null,
          ...(same
            ? {}
            : { seqHidden: [], seqNames: {}, seqOrder: [], seqMessages: null, seqConversations: [] }),
        });
        await get().refreshSequence();
      },

      async refreshSequence() {
        if (refreshing) {
          again = true;
          return;
        }
        refreshing = true;
        try {
          do {
            again = false;
            await fetchOnce();
          } while (again);
        } finally {
          refreshing = false;
        }
      },

      jumpToLive() {
        const n = get().playCount;
        set({ seqAtLive: true });
        if (!n) return;
        // The newest arrow is travelled again, so the eye finds where live is.
        moveTo(n - 1, { playing: true, playStopAt: null });
        drive();
      },

      async exportDiagramPcapng() {
        const { seqCapture, seqAll, seqStreams, seqConversations } = get();
        if (!seqCapture) throw new Error('Nothing is diagrammed yet.');
        const drawn = seqAll ? seqConversations.map((c) => c.stream) : seqStreams;
        // More conversations than one call names: every TCP and UDP packet is what they hold.
        const input =
          drawn.length > MAX_DIAGRAM_STREAMS
            ? { capture: seqCapture, filter: 'tcp || udp' }
            : { capture: seqCapture, streams: drawn };
        const t = await backend.call('capture.export', input);
        const parts: Uint8Array[] = [];
        for (let at = 0; at < t.size;) {
          const b = await backend.call('export.read', {
            export: t.export,
            offset: at,
            length: Math.min(MAX_EXPORT_READ, t.size - at),
          });
          if (!b.length) throw new Error(`The export ended after ${at} of ${t.size} bytes.`);
          parts.push(b);
          at += b.length;
        }
        return { name: t.name, parts, packets: t.packets };
      },

      async toggleDiagramStream(stream) {
        if (get().seqAll) {
          const drawn = get().seqConversations.map((c) => c.stream);
          await get().diagramStreams(drawn.filter((s) => s !== stream));
          return;
        }
        const cur = get().seqStreams;
        await get().diagramStreams(cur.includes(stream) ? cur.filter((s) => s !== stream) : [...cur, stream]);
      },

      setDiagramLevel(seqLevel) {
        set({ seqLevel, playPosition: 0, playing: false, playStopAt: null });
        if (fetched !== 'both' && fetched !== seqLevel) void get().refreshSequence();
      },
      setDiagramSpacing: (seqSpacing) => set({ seqSpacing }),
      setLifelineMode: (seqMode) => set({ seqMode, seqHidden: [], seqOrder: [], seqNames: {} }),
      hideLifeline: (id) => set({ seqHidden: [...new Set([...get().seqHidden, id])] }),
      showAllLifelines: () => set({ seqHidden: [] }),
      renameLifeline(id, name) {
        const names = { ...get().seqNames };
        if (name.trim()) names[id] = name.trim();
        else delete names[id];
        set({ seqNames: names });
      },
      reorderLifelines: (seqOrder) => set({ seqOrder }),
      setDiagramZoom: (z) => set({ seqZoom: Math.max(0.25, Math.min(8, z)) }),

      resetSequence() {
        request++;
        set({
          seqCapture: null,
          seqStreams: [],
          seqAll: false,
          seqAtLive: true,
          seqMessages: null,
          seqConversations: [],
          seqLoading: false,
          seqError: null,
          seqHidden: [],
          seqNames: {},
          seqOrder: [],
          playing: false,
          playPosition: 0,
          playStopAt: null,
        });
      },

      play() {
        const { playCount, playPosition } = get();
        if (!playCount) return;
        // Playing from the end starts again.
        if (playPosition >= playCount - 1 + ARRIVED - 1e-9) moveTo(0);
        set({ playing: true, playStopAt: null });
        drive();
      },
      pause: () => set({ playing: false, playStopAt: null, seqAtLive: false }),
      togglePlay() {
        if (get().playing) get().pause();
        else get().play();
      },
      stepForward() {
        const { playCount, playPosition } = get();
        if (!playCount) return;
        const next = Math.floor(playPosition) + 1;
        if (next > playCount - 1) {
          moveTo(playCount - 1 + ARRIVED, { playing: false, playStopAt: null });
          return;
        }
        // The packet travels its arrow, then the clock stops there.
        moveTo(next, { playing: true, playStopAt: next + ARRIVED });
        drive();
      },
      stepBack() {
        const p = Math.floor(get().playPosition);
        moveTo(Math.max(0, p - 1) + ARRIVED, { playing: false, playStopAt: null, seqAtLive: false });
      },
      stepFirst: () => moveTo(0, { playing: false, playStopAt: null, seqAtLive: false }, true),
      stepLast: () =>
        moveTo(get().playCount - 1 + ARRIVED, { playing: false, playStopAt: null, seqAtLive: true }, true),
      seek: (p) => moveTo(p, { seqAtLive: Math.floor(p) >= get().playCount - 1 }, true),
      setSpeed: (playSpeed) => set({ playSpeed: Math.max(0.1, Math.min(10, playSpeed)) }),
      faster: () => set({ playSpeed: SPEEDS[Math.min(SPEEDS.length - 1, speedIndex() + 1)] }),
      slower: () => set({ playSpeed: SPEEDS[Math.max(0, speedIndex() - 1)] }),
      setLoop: (playLoop) => set({ playLoop }),
      setPlayCount(playCount) {
        const before = get().playCount;
        if (playCount === before) return;
        set({
          playCount,
          playPosition: Math.min(get().playPosition, Math.max(0, playCount - 1 + ARRIVED)),
          ...(playCount ? {} : { playing: false }),
        });
        // Live, at the newest message: the new arrows animate in, the packet travelling each.
        const s = get();
        if (playCount <= before || !s.seqAtLive || !captureIsLive(s)) return;
        const from = Math.max(before, playCount - CATCH_UP);
        if (s.playing && s.playStopAt === null && s.playPosition >= from) return;
        moveTo(Math.max(from, s.playing ? s.playPosition : 0), { playing: true, playStopAt: null });
        drive();
      },

      tick(ms) {
        const { playing, playSpeed, playPosition, playCount, playLoop, playStopAt } = get();
        if (!playing || !playCount) return;
        let p = playPosition + (ms / 1000) * playSpeed;
        if (playStopAt !== null && p >= playStopAt) {
          moveTo(playStopAt, { playing: false, playStopAt: null });
          return;
        }
        const end = playCount - 1 + ARRIVED;
        if (p >= end) {
          if (playLoop) p = 0;
          else {
            moveTo(end, { playing: false, seqAtLive: true });
            return;
          }
        }
        moveTo(p);
      },

      setProjection: (projection) => {
        if (projection === get().projection) return;
        set({ projection, blanked: false });
        // The desktop app moves the window to the projector (a second display) when there is one;
        // in a browser the page asks for full screen (F5 or the button is the user's gesture).
        if (get().hello?.canPresent) {
          backend.call('app.present', { on: projection }).catch(() => undefined);
        } else if (typeof document !== 'undefined' && document.fullscreenEnabled) {
          if (projection && !document.fullscreenElement)
            document.documentElement.requestFullscreen().catch(() => undefined);
          else if (!projection && document.fullscreenElement)
            document.exitFullscreen().catch(() => undefined);
        }
      },
      setBlanked: (blanked) => set({ blanked }),
      registerStepFrame: (seqStepFrame) => set({ seqStepFrame }),
    };
  };
}
