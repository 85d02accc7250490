// Puts the store's theme and zoom on the document root. Through the CSSOM (dataset, style
// properties), which the app's CSP allows; no <style> element is ever written.
import type { Theme } from '../state';

/** Root font size at 100 % zoom, px (base.css says the same). */
export const BASE_FONT_PX = 15;

export function applyTheme(root: HTMLElement, theme: Theme, zoom: number): void {
  root.dataset.theme = theme;
  root.style.fontSize = `${BASE_FONT_PX * zoom}px`;
}

/** The theme a first visit starts with: the OS's contrast or colour-scheme preference. */
export function preferredTheme(match: (query: string) => boolean): Theme {
  if (match('(prefers-contrast: more)') || match('(forced-colors: active)')) return 'contrast';
  return match('(prefers-color-scheme: light)') ? 'light' : 'dark';
}
