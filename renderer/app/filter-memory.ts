// The filters a person has applied (most recent first) and the ones they keep as bookmarks,
// kept in localStorage like the other preferences. The starters come from the chapter's
// diagrams: each selects the packets one of them draws.
export interface FilterBookmark {
  name: string;
  filter: string;
}

export const STARTER_BOOKMARKS: readonly FilterBookmark[] = [
  { name: 'TCP handshakes', filter: 'tcp.flags.syn == 1' },
  { name: 'TCP connection ends', filter: 'tcp.flags.fin == 1 or tcp.flags.reset == 1' },
  { name: 'DNS queries', filter: 'dns.flags.response == 0' },
  { name: 'DNS answers', filter: 'dns.flags.response == 1' },
  { name: 'Only the WebSocket handshake', filter: 'http.upgrade or http.response.code == 101' },
  { name: 'WebSocket frames', filter: 'websocket' },
  { name: 'HTTP requests', filter: 'http.request' },
  { name: 'TLS handshakes', filter: 'tls.handshake' },
  { name: 'gRPC calls', filter: 'grpc' },
  { name: 'TCP problems', filter: 'tcp.analysis.flags' },
];

const KEY = 'wirescope.filters';
const MAX_HISTORY = 20;

interface Stored {
  history: string[];
  bookmarks: FilterBookmark[];
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function loadFilterMemory(): Stored {
  const empty: Stored = { history: [], bookmarks: [] };
  try {
    const raw = storage()?.getItem(KEY);
    if (!raw) return empty;
    const v = JSON.parse(raw) as Partial<Stored>;
    return {
      history: Array.isArray(v.history)
        ? v.history.filter((x) => typeof x === 'string').slice(0, MAX_HISTORY)
        : [],
      bookmarks: Array.isArray(v.bookmarks)
        ? v.bookmarks.filter((b) => b && typeof b.name === 'string' && typeof b.filter === 'string')
        : [],
    };
  } catch {
    return empty;
  }
}

function save(s: Stored): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(s));
  } catch {
    // A full or disabled storage only costs the memory of filters.
  }
}

/** Puts an applied filter at the top of the history (once). */
export function rememberFilter(text: string): Stored {
  const s = loadFilterMemory();
  s.history = [text, ...s.history.filter((h) => h !== text)].slice(0, MAX_HISTORY);
  save(s);
  return s;
}

export function bookmarkFilter(text: string): Stored {
  const s = loadFilterMemory();
  if (!s.bookmarks.some((b) => b.filter === text)) s.bookmarks.push({ name: text, filter: text });
  save(s);
  return s;
}

export function removeBookmark(text: string): Stored {
  const s = loadFilterMemory();
  s.bookmarks = s.bookmarks.filter((b) => b.filter !== text);
  save(s);
  return s;
}

/** The field-name-like word ending at `caret` (what autocompletion completes), with its start. */
export function wordAt(text: string, caret: number): { word: string; start: number } {
  let start = caret;
  while (start > 0 && /[A-Za-z0-9_.-]/.test(text[start - 1])) start--;
  return { word: text.slice(start, caret), start };
}

/** Names to offer for `word`: exact prefix matches, shortest first, at most `max`. */
export function completions(names: readonly string[], word: string, max = 10): string[] {
  if (!word || !/[A-Za-z]/.test(word[0])) return [];
  const w = word.toLowerCase();
  const out: string[] = [];
  for (const n of names) {
    if (n.startsWith(w) && n !== w) out.push(n);
  }
  out.sort((a, b) => a.split('.').length - b.split('.').length || a.length - b.length || (a < b ? -1 : 1));
  return out.slice(0, max);
}

/**
 * After `field ==` (or another comparison) and the value typed so far up to the caret: the field,
 * that partial value (a string's opening quote kept) and where it starts, for offering the values
 * the capture holds. Null elsewhere.
 */
export function valueContext(
  text: string,
  caret: number,
): { field: string; prefix: string; start: number } | null {
  const m =
    /([A-Za-z_][\w.-]*)\s*(?:==|!=|>=|<=|>|<|\b(?:eq|ne|ge|le|gt|lt)\b)\s*("[^"]*|[^\s"(){},]*)$/.exec(
      text.slice(0, caret),
    );
  if (!m) return null;
  return { field: m[1], prefix: m[2], start: caret - m[2].length };
}
