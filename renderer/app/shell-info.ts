// What the preload bridge exposes (electron/preload.ts). The renderer must not import electron/, and
// in a browser there is no bridge at all, so the value is read defensively rather than trusted.
export type ShellInfo = { kind: 'electron'; electron: string; chrome: string } | { kind: 'browser' };

export function detectShell(scope: object): ShellInfo {
  const bridge: unknown = (scope as { wirescope?: unknown }).wirescope;
  if (typeof bridge !== 'object' || bridge === null) return { kind: 'browser' };
  const { shell, versions } = bridge as { shell?: unknown; versions?: unknown };
  if (shell !== 'electron' || typeof versions !== 'object' || versions === null) return { kind: 'browser' };
  const { electron, chrome } = versions as { electron?: unknown; chrome?: unknown };
  return {
    kind: 'electron',
    electron: typeof electron === 'string' ? electron : '',
    chrome: typeof chrome === 'string' ? chrome : '',
  };
}
