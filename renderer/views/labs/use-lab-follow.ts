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
    return store.subscribe((now, prev) => {
      const c = now.capture;
      if (!c || c.info.id !== captureId || now.handshake?.accept) return;
      if (c.progress.packets !== prev.capture?.progress.packets || c.phase !== prev.capture?.phase)
        void now.findHandshake();
    });
  }, [store, captureId, handshake]);
}
