// While the labs layout shows a capture, its diagram follows the packets as they arrive: every
// progress event (about 20 a second while indexing) asks for a refresh; the slice keeps one
// refresh in flight and coalesces the rest. The WebSocket handshake is looked up the same way
// until it is found.
import { useEffect } from 'react';
import type { AppStore } from '../../state';

export function useLabFollow(store: AppStore, handshake: boolean): void {
  useEffect(() => {
    const s = store.getState();
    if (s.capture) {
      void s.followDiagram();
      if (handshake) void s.findHandshake();
    }
    return store.subscribe((now, prev) => {
      const c = now.capture;
      if (!c) return;
      const grew =
        c.info.id !== prev.capture?.info.id ||
        c.progress.packets !== prev.capture?.progress.packets ||
        c.phase !== prev.capture?.phase;
      if (!grew) return;
      void now.followDiagram();
      if (handshake && !now.handshake?.accept) void now.findHandshake();
    });
  }, [store, handshake]);
}
