// The page's own keys, the same in the desktop window and in a browser (the native menu shows
// them but leaves them to the page): Ctrl+O open, Ctrl+G go to packet, Ctrl+F find packet, Esc cancel or close,
// Ctrl +/−/0 font zoom. List and tree keys (arrows, Home/End) belong to those views.
import { useEffect } from 'react';
import { runCommand, type AppStore } from '../state';

export function shortcutCommand(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
): 'open' | 'go-to-packet' | 'zoom-in' | 'zoom-out' | 'zoom-reset' | 'escape' | null {
  const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
  if (mod) {
    switch (e.key.toLowerCase()) {
      case 'o':
        return 'open';
      case 'g':
        return 'go-to-packet';
      case '+':
      case '=':
      case 'add':
        return 'zoom-in';
      case '-':
      case '_':
      case 'subtract':
        return 'zoom-out';
      case '0':
        return 'zoom-reset';
    }
    return null;
  }
  if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey) return 'escape';
  return null;
}

export function useShortcuts(store: AppStore): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f') {
        // Ctrl+F: Find packet, as Wireshark (the page's own find is of no use in a virtual list).
        e.preventDefault();
        store.getState().setFindOpen(true);
        return;
      }
      const cmd = shortcutCommand(e);
      if (!cmd) return;
      if (cmd === 'escape') {
        const s = store.getState();
        // Esc closes what is on top first, then stops what is running.
        if (s.goToOpen) s.setGoToOpen(false);
        else if (s.findOpen) s.setFindOpen(false);
        else if (s.legendOpen) s.setLegendOpen(false);
        else if (s.opening || s.capture?.phase === 'indexing') void s.cancel();
        else return;
        e.preventDefault();
        return;
      }
      e.preventDefault();
      // Opening the file picker needs the key press's user activation: run it now, not later.
      runCommand(store, cmd);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
