import { describe, expect, it } from 'vitest';
import { shortcutCommand } from './use-shortcuts';

const k = (
  key: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {},
) => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('page shortcuts', () => {
  it('maps Ctrl and Cmd chords to commands', () => {
    expect(shortcutCommand(k('o', { ctrlKey: true }))).toBe('open');
    expect(shortcutCommand(k('O', { metaKey: true, shiftKey: true }))).toBe('open');
    expect(shortcutCommand(k('g', { ctrlKey: true }))).toBe('go-to-packet');
    expect(shortcutCommand(k('=', { ctrlKey: true }))).toBe('zoom-in');
    expect(shortcutCommand(k('+', { ctrlKey: true, shiftKey: true }))).toBe('zoom-in');
    expect(shortcutCommand(k('-', { ctrlKey: true }))).toBe('zoom-out');
    expect(shortcutCommand(k('0', { ctrlKey: true }))).toBe('zoom-reset');
  });

  it('leaves plain keys, Alt chords and unknown chords to the page', () => {
    expect(shortcutCommand(k('o'))).toBeNull();
    expect(shortcutCommand(k('g', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutCommand(k('x', { ctrlKey: true }))).toBeNull();
    expect(shortcutCommand(k('ArrowDown'))).toBeNull();
  });

  it('Esc alone is escape; with a modifier it is not', () => {
    expect(shortcutCommand(k('Escape'))).toBe('escape');
    expect(shortcutCommand(k('Escape', { ctrlKey: true }))).toBeNull();
  });
});
