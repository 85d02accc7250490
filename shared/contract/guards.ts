// Runtime guards for the API contract. Every argument that crosses a process or network boundary
// (IPC from the renderer, a WebSocket message from a browser) is checked against one of these
// before a handler sees it: TypeScript types vanish at run time, and the far side may be hostile.
// Guards are strict: unknown keys, wrong types, NaN, negative or fractional counts are refused.

export type Guard<T> = (v: unknown) => v is T;

/** Why a guard refused a value, for the error message: the first failing path and what was expected. */
export interface GuardFailure {
  path: string;
  expected: string;
}

// A guard that can say why it failed. Plain guards (v is T) compose; `explain` walks the same
// structure again only when a value was refused, so the happy path costs one pass.
interface Described {
  readonly describe: string;
  readonly explain?: (v: unknown, path: string) => GuardFailure | null;
}
export type DescribedGuard<T> = Guard<T> & Described;

function described<T>(
  describe: string,
  test: (v: unknown) => boolean,
  explain?: Described['explain'],
): DescribedGuard<T> {
  const g = ((v: unknown) => test(v)) as DescribedGuard<T>;
  Object.defineProperty(g, 'describe', { value: describe });
  if (explain) Object.defineProperty(g, 'explain', { value: explain });
  return g;
}

/** The first reason `guard` refuses `v`, or null when it accepts it. */
export function explainRefusal(guard: Guard<unknown>, v: unknown, path = 'input'): GuardFailure | null {
  if (guard(v)) return null;
  const g = guard as Partial<Described>;
  return g.explain?.(v, path) ?? { path, expected: g.describe ?? 'a valid value' };
}

export const isVoid = described<void>(
  'nothing (undefined or {})',
  (v) => v === undefined || v === null || (isPlainObject(v) && Object.keys(v).length === 0),
);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function int(min = 0, max = Number.MAX_SAFE_INTEGER): DescribedGuard<number> {
  return described(
    `an integer in [${min}, ${max}]`,
    (v) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max,
  );
}

export function str(maxLength: number, minLength = 0): DescribedGuard<string> {
  return described(
    `a string of ${minLength}..${maxLength} characters without NUL`,
    (v) => typeof v === 'string' && v.length >= minLength && v.length <= maxLength && !v.includes('\0'),
  );
}

export const bool = described<boolean>('a boolean', (v) => typeof v === 'boolean');

export function oneOf<const T extends readonly (string | number)[]>(...values: T): DescribedGuard<T[number]> {
  return described(`one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, (v) =>
    values.includes(v as T[number]),
  );
}

export function bytes(maxLength: number): DescribedGuard<Uint8Array> {
  return described(
    `bytes (Uint8Array) of at most ${maxLength}`,
    (v) => v instanceof Uint8Array && v.byteLength <= maxLength,
  );
}

export function arrayOf<T>(item: Guard<T>, maxLength: number): DescribedGuard<T[]> {
  return described(
    `a list of at most ${maxLength}`,
    (v) => Array.isArray(v) && v.length <= maxLength && v.every((x) => item(x)),
    (v, path) => {
      if (!Array.isArray(v) || v.length > maxLength)
        return { path, expected: `a list of at most ${maxLength}` };
      for (let i = 0; i < v.length; i++) {
        const f = explainRefusal(item, v[i], `${path}[${i}]`);
        if (f) return f;
      }
      return null;
    },
  );
}

/** Marks an object key as optional (absent or undefined). */
export interface Optional<T> {
  readonly optional: Guard<T>;
}
export function optional<T>(g: Guard<T>): Optional<T> {
  return { optional: g };
}

type Shape = Record<string, Guard<unknown> | Optional<unknown>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type GuardType<G> = G extends Guard<infer T> ? T : G extends Optional<infer T> ? T : never;
export type ShapeType<S extends Shape> = { [K in RequiredKeys<S>]: GuardType<S[K]> } & {
  [K in OptionalKeys<S>]?: GuardType<S[K]>;
};

/** An object with exactly these keys (extra keys are refused: they would be silently ignored). */
export function object<S extends Shape>(shape: S): DescribedGuard<ShapeType<S>> {
  const keys = Object.keys(shape);
  const explain = (v: unknown, path: string): GuardFailure | null => {
    if (!isPlainObject(v)) return { path, expected: `an object with keys ${keys.join(', ')}` };
    for (const k of Object.keys(v))
      if (!Object.hasOwn(shape, k)) return { path: `${path}.${k}`, expected: 'no such key' };
    for (const k of keys) {
      const s = shape[k];
      const val = v[k];
      if ('optional' in s) {
        if (val === undefined) continue;
        const f = explainRefusal(s.optional, val, `${path}.${k}`);
        if (f) return f;
      } else {
        const f = explainRefusal(s, val, `${path}.${k}`);
        if (f) return f;
      }
    }
    return null;
  };
  return described(`an object with keys ${keys.join(', ')}`, (v) => explain(v, '') === null, explain);
}

/** Either of several guards (a tagged union's variants). */
export function anyOf<T extends Guard<unknown>[]>(...guards: T): DescribedGuard<GuardType<T[number]>> {
  return described(guards.map((g) => (g as Partial<Described>).describe ?? '?').join(' or '), (v) =>
    guards.some((g) => g(v)),
  );
}
