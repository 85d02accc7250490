// The open capture: what the backend said about it (CaptureState, updated from its events), the
// upload in progress, the error banner and the recent-files list. One capture per window, as in
// Wireshark: opening another closes the first.
import type {
  CaptureId,
  CaptureInfo,
  CaptureState,
  Hello,
  Progress,
  RecentFile,
} from '../../shared/contract/api';
import type { StateCreator } from 'zustand';
import type { Backend } from './backend';
import { noticeOfError, noticeOfFinish, type Notice, type NoticeInput } from './notices';
import type { Store } from './store';

export interface Opening {
  name: string;
  /** Bytes sent to the backend so far (uploads), of `total`. */
  sent: number;
  total: number;
}

export interface CaptureSlice {
  /** The backend's greeting: which shell, whether it has a native dialog. Null until it answers. */
  hello: Hello | null;
  capture: CaptureState | null;
  /** A file being streamed to the backend (serve mode) before its capture exists. */
  opening: Opening | null;
  notices: Notice[];
  recent: RecentFile[];

  /** First call of the page: greets the backend and adopts a capture it already opened. */
  start(): Promise<void>;
  /** Ctrl+O / the Open button: the native dialog (desktop) or the page's file picker. */
  openDialog(): Promise<void>;
  /** A File from the picker or a drop: opened by path on the desktop, uploaded in serve mode. */
  openFile(file: File): Promise<void>;
  openRecent(path: string): Promise<void>;
  clearRecent(): Promise<void>;
  /** Esc: stops an upload, or the index pass (what was indexed stays listed). */
  cancel(): Promise<void>;
  closeCapture(): Promise<void>;
  /** Shows `n` in the banner (the same message twice shows once). */
  notify(n: NoticeInput): void;
  dismissNotice(id: number): void;
  /** The backend went away: one notice replaces the rest, and no call is tried any more. */
  connectionLost(): void;

  // Reducers for the backend's events (state/events.ts wires them).
  captureOpened(info: CaptureInfo): void;
  captureProgress(p: { capture: CaptureId } & Progress): void;
  captureFinished(s: CaptureState): void;
  captureClosed(id: CaptureId): void;
  recentChanged(list: RecentFile[]): void;
}

let nextNotice = 1;
/** The banner keeps the newest few: a burst of failures must not push the packet list away. */
const MAX_NOTICES = 3;

export function createCaptureSlice(backend: Backend): StateCreator<Store, [], [], CaptureSlice> {
  let uploadAbort: AbortController | null = null;

  return (set, get) => ({
    hello: null,
    capture: null,
    opening: null,
    notices: [],
    recent: [],

    async start() {
      try {
        const hello = await backend.call('app.hello');
        set({ hello, recent: hello.recent });
        // A capture the backend opened for this page before it said hello (command line, file
        // association). Its `capture.opened` event may have come first, and its pass may have
        // ended before this page was there to hear it: the greeting's state is the one to trust.
        const last = hello.captures.at(-1);
        const cur = get().capture;
        if (last && (!cur || cur.info.id === last.info.id)) {
          if (!cur) get().captureOpened(last.info);
          if (last.phase === 'indexing') get().captureProgress({ capture: last.info.id, ...last.progress });
          else if (get().capture?.phase === 'indexing') get().captureFinished(last);
        }
        // After adopting a capture, which clears the banner of the previous one's notices.
        for (const n of hello.notices) get().notify(noticeOfError('A file could not be opened', n));
      } catch (e) {
        get().notify(noticeOfError('Wirescope cannot reach its backend', e));
      }
    },

    async openDialog() {
      const hello = get().hello;
      if (hello?.canPick) {
        try {
          await backend.call('capture.pick');
        } catch (e) {
          get().notify(noticeOfError('The capture could not be opened', e));
        }
        return;
      }
      get().filePicker?.();
    },

    async openFile(file) {
      uploadAbort?.abort();
      const abort = new AbortController();
      uploadAbort = abort;
      set({ opening: { name: file.name, sent: 0, total: file.size } });
      try {
        await backend.openFile(file, {
          signal: abort.signal,
          onProgress: (sent, total) => {
            if (uploadAbort === abort) set({ opening: { name: file.name, sent, total } });
          },
        });
      } catch (e) {
        if (!abort.signal.aborted) get().notify(noticeOfError(`${file.name} could not be opened`, e));
      } finally {
        if (uploadAbort === abort) {
          uploadAbort = null;
          set({ opening: null });
        }
      }
    },

    async openRecent(path) {
      try {
        await backend.call('capture.openRecent', { path });
      } catch (e) {
        get().notify(noticeOfError(`${path.split(/[\\/]/).pop()} could not be opened`, e));
      }
    },

    async clearRecent() {
      try {
        await backend.call('recent.clear');
        set({ recent: [] });
      } catch (e) {
        get().notify(noticeOfError('The recent-files list could not be cleared', e));
      }
    },

    async cancel() {
      if (uploadAbort) {
        const name = get().opening?.name ?? 'the file';
        uploadAbort.abort();
        uploadAbort = null;
        set({ opening: null });
        get().notify({
          tone: 'info',
          title: `Stopped opening ${name}`,
          message: 'The upload was cancelled; nothing was kept.',
        });
        return;
      }
      const c = get().capture;
      if (!c || c.phase !== 'indexing') return;
      try {
        await backend.call('capture.cancel', { capture: c.info.id });
      } catch (e) {
        get().notify(noticeOfError('Indexing could not be stopped', e));
      }
    },

    async closeCapture() {
      const c = get().capture;
      if (!c) return;
      get().captureClosed(c.info.id);
      try {
        await backend.call('capture.close', { capture: c.info.id });
      } catch {
        // Already gone on the backend (its page closed it): nothing is left to close.
      }
    },

    notify(n) {
      // Once the backend is gone every call fails the same way: the one connection notice says it.
      if (get().connection === 'closed') return;
      set((s) => ({
        notices: [
          ...s.notices.filter((o) => o.title !== n.title || o.message !== n.message),
          { ...n, id: nextNotice++ },
        ].slice(-MAX_NOTICES),
      }));
    },

    connectionLost() {
      set({
        connection: 'closed',
        opening: null,
        notices: [
          {
            id: nextNotice++,
            tone: 'error',
            title: 'The connection to the backend was lost',
            message: 'Reload the page to reconnect. The capture has to be opened again.',
            kept: get().capture ? 'The packets and details already shown stay on screen.' : undefined,
          },
        ],
      });
    },

    dismissNotice(id) {
      set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
    },

    captureOpened(info) {
      const prev = get().capture;
      if (prev?.info.id === info.id) return;
      if (prev) void backend.call('capture.close', { capture: prev.info.id }).catch(() => undefined);
      set({
        capture: {
          info,
          phase: 'indexing',
          progress: { bytes: 0, total: info.size, packets: 0 },
          loadMs: null,
          summary: null,
          error: null,
          // A live capture is running when it is handed over (the helper or the tap has started).
          ...(info.live ? { live: { running: true, problem: null } } : {}),
        },
        notices: [],
        follow: true,
        tapSeen: false,
        handshake: null,
      });
      get().resetList();
      get().resetSelection();
      get().resetConversations();
      // The first rows are asked for now, not after the first progress event says there are some.
      get().primeRows();
    },

    captureProgress(p) {
      const c = get().capture;
      if (!c || c.info.id !== p.capture || c.phase !== 'indexing') return;
      set({ capture: { ...c, progress: { bytes: p.bytes, total: p.total, packets: p.packets } } });
      get().listGrew(p.packets);
    },

    captureFinished(s) {
      const c = get().capture;
      if (!c || c.info.id !== s.info.id) return;
      const n = noticeOfFinish(s);
      // One update: whoever sees the phase change sees the notice with it.
      set((st) => ({
        capture: s,
        notices: n ? [...st.notices, { ...n, id: nextNotice++ }].slice(-MAX_NOTICES) : st.notices,
      }));
      if (s.phase === 'failed' && s.progress.packets === 0) {
        // Nothing to show: back to the open screen, with the message saying why.
        get().captureClosed(s.info.id);
        void backend.call('capture.close', { capture: s.info.id }).catch(() => undefined);
        return;
      }
      get().listFinished(s.progress.packets);
      get().conversationsStale();
    },

    captureClosed(id) {
      if (get().capture?.info.id !== id) return;
      set({ capture: null });
      get().resetList();
      get().resetSelection();
      get().resetConversations();
    },

    recentChanged(list) {
      set({ recent: list });
    },
  });
}
