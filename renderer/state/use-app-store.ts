// The views' way into the store: `useAppStore(selector)` re-renders on the selected value only
// (subscribe to the narrowest value), `useAppStoreApi()` gives the store for actions in handlers.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppStore, Store } from './store';

export const StoreContext = createContext<AppStore | null>(null);

export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside <StoreContext.Provider>: the view needs the app store');
  return store;
}

export function useAppStore<T>(selector: (s: Store) => T): T {
  return useStore(useAppStoreApi(), selector);
}
