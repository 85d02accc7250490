// TCP and UDP streams of the open capture (endpoints, packets, bytes, duration), for the
// Conversations view; choosing one filters the packet list to it (list-slice `filterConversation`).
import type { StateCreator } from 'zustand';
import type { ConversationList } from '../../shared/contract/api';
import type { Backend } from './backend';
import type { Store } from './store';

export interface ConversationsSlice {
  /** Null until loaded; `complete` false when it was taken while the index pass still ran. */
  conversations: ConversationList | null;
  conversationsLoading: boolean;
  conversationsError: string | null;

  /** Fetches the list (again): every TCP and UDP stream seen so far. */
  loadConversations(): Promise<void>;

  // Called by the capture slice.
  resetConversations(): void;
  /** The index pass ended: a list loaded during it is reloaded. */
  conversationsStale(): void;
}

export function createConversationsSlice(backend: Backend): StateCreator<Store, [], [], ConversationsSlice> {
  let request = 0;
  return (set, get) => ({
    conversations: null,
    conversationsLoading: false,
    conversationsError: null,

    async loadConversations() {
      const capture = get().capture;
      if (!capture) return;
      const mine = ++request;
      set({ conversationsLoading: true, conversationsError: null });
      try {
        const list = await backend.call('conversations.list', { capture: capture.info.id });
        if (mine !== request) return;
        set({ conversations: list, conversationsLoading: false });
      } catch (e) {
        if (mine !== request) return;
        set({ conversationsLoading: false, conversationsError: (e as Error).message });
      }
    },

    resetConversations() {
      request++;
      set({ conversations: null, conversationsLoading: false, conversationsError: null });
    },

    conversationsStale() {
      const c = get().conversations;
      if (c && !c.complete) void get().loadConversations();
    },
  });
}
