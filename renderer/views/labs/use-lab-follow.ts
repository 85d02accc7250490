// The labs layout diagrams every conversation of the open capture and follows it while it is live
// (the sequence slice's followLive: refreshed as packets arrive, the newest arrow animated). The
// WebSocket handshake is looked up as packets arrive until its 101 response is found.
import { useEffect } from 'react';
import { useAppStore, type AppStore } from '../../state';

export function useLabFollow(store: AppStore, handshake: boolean): void {
  const captureId = useAppStore((s) => s.capture?.info.id ?? null);
  useEffect(() => {
    if (!captureId) return;
    const s = store.getState();
    if (!s.seqAll || s.seqCapture !== captureId) void s.followLive(captureId, true);
    if (!handshake) return;
    void s.findHandshake();
    const off = store.subscribe((now, prev) => {
      const c = now.capture;
      if (!c || c.info.id !== captureId || now.handshake?.accept) return;
      if (c.progress.packets !== prev.capture?.progress.packets || c.phase !== prev.capture?.phase)
        void now.findHandshake();
    });
    // A progress event can come before the index answers filters on its packets; the lab may then
    // wait for the user with no packet arriving, so the lookup is retried until it succeeds.
    const retry = setInterval(() => {
      const now = store.getState();
      if (now.capture?.info.id === captureId && !now.handshake?.accept) void now.findHandshake();
    }, 700);
    return () => {
      off();
      clearInterval(retry);
    };
  }, [store, captureId, handshake]);
}
