// What the d3-style views need from the page to lay themselves out: their box's width, the root
// font size (the font zoom; every size in the layouts is in rem), and a text measure in the UI
// font, so the pure layouts fit labels with real widths rather than guesses.
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useAppStore } from '../../state';
import { estimateText, type Measure } from './stack-layout';

/** Width in px of the element the returned ref is put on, kept current by a ResizeObserver. */
export function useBoxWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => setWidth(Math.floor(el.clientWidth));
    const ro = new ResizeObserver(read);
    ro.observe(el);
    read();
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/** The root font size in px; follows the store's zoom (applied to <html> by the shell). */
export function useRem(): number {
  const zoom = useAppStore((s) => s.zoom);
  const [rem, setRem] = useState(15);
  useLayoutEffect(() => {
    const px = parseFloat(getComputedStyle(document.documentElement).fontSize);
    if (px > 0) setRem(px);
  }, [zoom]);
  return rem;
}

let canvas: HTMLCanvasElement | null = null;

/** A Measure in the page's UI font (canvas measureText), falling back to an estimate. */
export function useMeasure(): Measure {
  const family = useMemo(() => {
    const v = getComputedStyle(document.documentElement).getPropertyValue('--font-ui').trim();
    return v || 'sans-serif';
  }, []);
  const cache = useRef(new Map<string, number>());
  return useCallback<Measure>(
    (text, size, bold) => {
      const key = `${bold ? 1 : 0}|${size}|${text}`;
      const hit = cache.current.get(key);
      if (hit !== undefined) return hit;
      canvas ??= document.createElement('canvas');
      const ctx = canvas.getContext('2d');
      let w: number;
      if (ctx) {
        ctx.font = `${bold ? 700 : 400} ${size}px ${family}`;
        w = ctx.measureText(text).width;
      } else w = estimateText(text, size, bold);
      if (cache.current.size > 5000) cache.current.clear();
      cache.current.set(key, w);
      return w;
    },
    [family],
  );
}
