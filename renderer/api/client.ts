// The views' one way to the backend: the contract's verbs and events (ApiClient), the same over
// the Electron preload bridge and over the serve-mode WebSocket. Which one is decided once, at
// start: a bridge on `window.wirescope` means desktop, else the page talks to the server it was
// loaded from, with the token the server printed in the address (`#token=…`).
import {
  ApiCallError,
  type ApiClient,
  type ApiResult,
  type CaptureInfo,
  type EventName,
  type PayloadOf,
  type Shell,
  type Verb,
} from '../../shared/contract/api';
import { BRIDGE_KEY, type DesktopBridge } from '../../shared/contract/bridge';
import {
  decodeMessage,
  encodeMessage,
  isServerMessage,
  type ServerMessage,
} from '../../shared/contract/wire';
import { uploadFile, type UploadOptions } from './upload';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface WirescopeApi extends ApiClient {
  /** Known before any call: 'electron' with the preload bridge, else 'serve'. */
  readonly shell: Shell;
  readonly connection: ConnectionState;
  /**
   * Opens a File the user picked or dropped. Desktop: by the path Electron knows for it (no
   * copy). Serve mode, or a File without a path: streamed to the backend in chunks.
   */
  openFile(file: File, opts?: UploadOptions): Promise<CaptureInfo>;
  /** Connection changes (serve mode: the socket opened, or closed and calls now fail). */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** Ends the connection (serve mode); the backend closes this page's captures. */
  close(): void;
}

type Listener = (payload: unknown) => void;

class Listeners {
  private readonly byName = new Map<string, Set<Listener>>();
  add(name: string, fn: Listener): () => void {
    let set = this.byName.get(name);
    if (!set) this.byName.set(name, (set = new Set()));
    set.add(fn);
    return () => void set.delete(fn);
  }
  emit(name: string, payload: unknown): void {
    for (const fn of [...(this.byName.get(name) ?? [])]) {
      try {
        fn(payload);
      } catch (e) {
        // One failing view must not stop the others from hearing the event.
        console.error(`wirescope: a ${name} listener failed`, e);
      }
    }
  }
}

function unwrap<T>(verb: string, r: ApiResult<unknown>): T {
  if (r.ok) return r.value as T;
  throw new ApiCallError(verb, r.error);
}

/** Desktop: the preload bridge. */
export function bridgeClient(bridge: DesktopBridge): WirescopeApi {
  const client: WirescopeApi = {
    shell: 'electron',
    connection: 'open',
    async call(verb: Verb, ...input: unknown[]) {
      const fn = bridge.api[verb];
      if (!fn)
        throw new ApiCallError(verb, {
          code: 'unknown-verb',
          message: `The desktop bridge does not offer ${verb}.`,
        });
      return unwrap(verb, await fn(input[0]));
    },
    on(name, listener) {
      const sub = bridge.on[name];
      if (!sub) return () => undefined;
      return sub(listener as Listener);
    },
    async openFile(file, opts) {
      const r = await bridge.openDroppedFile(file);
      if (r.ok) return r.value;
      if (r.error.code !== 'unsupported') throw new ApiCallError('capture.openDropped', r.error);
      return uploadFile(client, file, opts);
    },
    onConnection: () => () => undefined,
    close: () => undefined,
  } as WirescopeApi;
  return client;
}

interface Pending {
  verb: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** Serve mode: the backend's WebSocket at `url` (token included). */
export function socketClient(url: string, WebSocketImpl: typeof WebSocket = WebSocket): WirescopeApi {
  const events = new Listeners();
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  const pending = new Map<number, Pending>();
  const queue: Uint8Array<ArrayBuffer>[] = [];
  let nextId = 1;
  let state: ConnectionState = 'connecting';
  const ws = new WebSocketImpl(url);
  ws.binaryType = 'arraybuffer';

  const setState = (s: ConnectionState) => {
    state = s;
    for (const fn of [...connectionListeners]) fn(s);
  };
  const lost = () => {
    if (state === 'closed') return;
    setState('closed');
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(
        new ApiCallError(p.verb, {
          code: 'internal',
          message: 'The connection to the Wirescope backend was lost. Reload the page to reconnect.',
        }),
      );
    }
  };

  ws.addEventListener('open', () => {
    setState('open');
    for (const m of queue.splice(0)) ws.send(m);
  });
  ws.addEventListener('close', lost);
  ws.addEventListener('error', lost);
  ws.addEventListener('message', (ev: MessageEvent) => {
    if (!(ev.data instanceof ArrayBuffer)) return;
    let m: ServerMessage;
    try {
      const v = decodeMessage(new Uint8Array(ev.data));
      if (!isServerMessage(v)) return;
      m = v;
    } catch (e) {
      console.error('wirescope: unreadable message from the backend', e);
      return;
    }
    if (m.t === 'event') {
      events.emit(m.name, m.payload);
      return;
    }
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    try {
      p.resolve(unwrap(p.verb, m.result));
    } catch (e) {
      p.reject(e as Error);
    }
  });

  const client: WirescopeApi = {
    shell: 'serve',
    get connection() {
      return state;
    },
    call(verb: Verb, ...input: unknown[]) {
      return new Promise((resolve, reject) => {
        if (state === 'closed') {
          reject(
            new ApiCallError(verb, {
              code: 'internal',
              message: 'The connection to the Wirescope backend is closed. Reload the page to reconnect.',
            }),
          );
          return;
        }
        const id = nextId++;
        pending.set(id, { verb, resolve: resolve as (v: unknown) => void, reject });
        const frame = encodeMessage({ t: 'call', id, verb, input: input[0] });
        if (state === 'open') ws.send(frame);
        else queue.push(frame);
      });
    },
    on<E extends EventName>(name: E, listener: (payload: PayloadOf<E>) => void) {
      return events.add(name, listener as Listener);
    },
    openFile(file, opts) {
      return uploadFile(client, file, opts);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => void connectionListeners.delete(listener);
    },
    close() {
      ws.close();
      lost();
    },
  } as WirescopeApi;
  return client;
}

/** The serve-mode socket address for a page loaded from `location` (token from the hash). */
export function socketUrl(location: { protocol: string; host: string; hash: string }): string {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`;
}

/** Picks the transport: the preload bridge when present (desktop), else the WebSocket. */
export function connectApi(scope: object = globalThis): WirescopeApi {
  const bridge = (scope as Record<string, unknown>)[BRIDGE_KEY] as DesktopBridge | undefined;
  if (bridge && typeof bridge === 'object' && bridge.shell === 'electron' && typeof bridge.api === 'object')
    return bridgeClient(bridge);
  const loc = (scope as { location?: Location }).location;
  if (!loc) throw new Error('wirescope: no desktop bridge and no page location to find the backend');
  return socketClient(socketUrl(loc));
}

let shared: WirescopeApi | null = null;

/** The page's one client, connected on first use. */
export function getApi(): WirescopeApi {
  shared ??= connectApi();
  return shared;
}
