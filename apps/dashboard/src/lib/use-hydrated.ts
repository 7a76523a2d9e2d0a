import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False in the server's HTML and while React hydrates, true once this component runs in the
 * browser. Controls that act through React are disabled until then: a click or a keystroke
 * on server-rendered HTML before hydration would be lost without a word.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
