import { describe, expect, it } from 'vitest';
import { api, explainRefusal, isVerb, VERBS } from './api';
import { arrayOf, bytes, int, isVoid, object, oneOf, optional, str } from './guards';

describe('guards', () => {
  it('check numbers, strings and bytes strictly', () => {
    const g = int(0, 10);
    for (const ok of [0, 10, 5]) expect(g(ok)).toBe(true);
    for (const bad of [-1, 11, 1.5, NaN, Infinity, '3', null, undefined, 2n]) expect(g(bad)).toBe(false);
    const s = str(3, 1);
    expect(s('abc')).toBe(true);
    expect(s('')).toBe(false);
    expect(s('abcd')).toBe(false);
    expect(s('a\0')).toBe(false);
    expect(bytes(2)(new Uint8Array(2))).toBe(true);
    expect(bytes(2)(new Uint8Array(3))).toBe(false);
    expect(bytes(2)([1, 2])).toBe(false);
    expect(oneOf('a', 'b')('b')).toBe(true);
    expect(oneOf('a', 'b')('c')).toBe(false);
    expect(isVoid(undefined) && isVoid(null) && isVoid({})).toBe(true);
    expect(isVoid({ a: 1 })).toBe(false);
  });

  it('check objects exactly: required keys, optional keys, no extra keys, no prototypes', () => {
    const g = object({ a: int(), b: optional(str(5)) });
    expect(g({ a: 1 })).toBe(true);
    expect(g({ a: 1, b: 'x' })).toBe(true);
    expect(g({ a: 1, b: undefined })).toBe(true);
    expect(g({ a: 1, c: 2 })).toBe(false);
    expect(g({ b: 'x' })).toBe(false);
    expect(g([1])).toBe(false);
    expect(g(Object.assign(Object.create({ polluted: true }), { a: 1 }))).toBe(false);
    expect(g(JSON.parse('{"a":1,"__proto__":{"x":1}}'))).toBe(false);
    expect(arrayOf(int(), 2)([1, 2])).toBe(true);
    expect(arrayOf(int(), 2)([1, 2, 3])).toBe(false);
  });

  it('explain the first refusal by path', () => {
    const g = object({ view: optional(object({ sort: object({ column: oneOf('a', 'b') }) })) });
    expect(explainRefusal(g, { view: { sort: { column: 'z' } } })).toEqual({
      path: 'input.view.sort.column',
      expected: 'one of "a", "b"',
    });
    expect(explainRefusal(g, { extra: 1 })).toEqual({ path: 'input.extra', expected: 'no such key' });
    expect(explainRefusal(arrayOf(int(), 3), [1, 'x'])).toEqual({
      path: 'input[1]',
      expected: 'an integer in [0, 9007199254740991]',
    });
    expect(explainRefusal(g, {})).toBeNull();
  });

  it('gives every verb of the contract a guard, and knows no other verbs', () => {
    for (const v of VERBS) expect(typeof api[v].input, v).toBe('function');
    expect(isVerb('packets.rows')).toBe(true);
    for (const bad of ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'packets', ''])
      expect(isVerb(bad), bad).toBe(false);
  });
});
