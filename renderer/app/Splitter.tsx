// A draggable (and keyboard-movable) divider between two panes. It reports a fraction of its
// container; the layout owns the sizes.
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

interface Props {
  /** 'row': panes above and below (a horizontal bar); 'column': panes left and right. */
  direction: 'row' | 'column';
  /** Fraction of the container before the divider. */
  value: number;
  min?: number;
  max?: number;
  label: string;
  /** Fraction measured from the container's far edge (a right-hand side panel). */
  fromEnd?: boolean;
  onChange(v: number): void;
}

export function Splitter({
  direction,
  value,
  min = 0.15,
  max = 0.85,
  label,
  fromEnd = false,
  onChange,
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const clamp = (v: number) => Math.max(min, Math.min(max, v));

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const el = ref.current;
    const box = el?.parentElement?.getBoundingClientRect();
    if (!el || !box) return;
    el.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => {
      const f =
        direction === 'row' ? (ev.clientY - box.top) / box.height : (ev.clientX - box.left) / box.width;
      onChange(clamp(fromEnd ? 1 - f : f));
    };
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', up);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', up);
    e.preventDefault();
  };

  const onKey = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 0.1 : 0.02;
    const back = direction === 'row' ? 'ArrowUp' : 'ArrowLeft';
    const fwd = direction === 'row' ? 'ArrowDown' : 'ArrowRight';
    let d = 0;
    if (e.key === back) d = -step;
    else if (e.key === fwd) d = step;
    else return;
    e.preventDefault();
    onChange(clamp(value + (fromEnd ? -d : d)));
  };

  return (
    <div
      ref={ref}
      role="separator"
      aria-orientation={direction === 'row' ? 'horizontal' : 'vertical'}
      aria-label={label}
      aria-valuenow={Math.round(value * 100)}
      aria-valuemin={Math.round(min * 100)}
      aria-valuemax={Math.round(max * 100)}
      tabIndex={0}
      className={`splitter ${direction}`}
      onPointerDown={onPointerDown}
      onKeyDown={onKey}
    />
  );
}
