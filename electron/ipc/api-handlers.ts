// The desktop transport of the API: one ipcMain handler per contract verb, every one registered
// through `handleChecked`, the single helper that checks who is calling before the backend's
// `dispatch` checks what they sent (Electron security checklist, "Validate the sender of all IPC
// messages"). Plain Node: main.ts passes Electron's ipcMain in; tests pass a stand-in.
import { VERBS, type ApiResult, type Verb } from '../../shared/contract/api';
import { verbChannel } from '../../shared/contract/bridge';
import type { PageSession } from '../backend/backend';

/** The parts of Electron's IpcMainInvokeEvent the checks read. */
export interface InvokeEventLike {
  sender: { id: number };
  /** The frame that sent the message; null once it navigated away or was destroyed. */
  senderFrame: { url: string; parent: unknown } | null;
}

/** The parts of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface SenderPolicy {
  /** Origins whose top-level frame may call (app://wirescope, and the dev server in development). */
  origins: readonly string[];
  /** The backend page of a window this app created, by its webContents id; null for any other. */
  pageOf(webContentsId: number): PageSession | null;
}

/** Why a sender is refused, or null when it may call. */
export function senderRefusal(event: InvokeEventLike, policy: SenderPolicy): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the calling frame is gone';
  if (frame.parent !== null && frame.parent !== undefined) return 'calls from sub-frames are not accepted';
  let u: URL;
  try {
    u = new URL(frame.url);
  } catch {
    return 'the calling frame has no valid URL';
  }
  // URL gives custom schemes such as app:// an opaque origin ("null"), so scheme and host are
  // compared instead; for http(s) that is the origin.
  const origin = `${u.protocol}//${u.host}`;
  if (!policy.origins.includes(origin)) return `calls from ${origin} are not accepted`;
  if (!policy.pageOf(event.sender.id)) return 'the caller is not a Wirescope window';
  return null;
}

/**
 * Registers one checked handler: the sender must pass `senderRefusal`, then the backend page of
 * that window runs the verb (whose guard checks the input). Refusals are typed results, never
 * exceptions, so the page sees why.
 */
export function handleChecked(ipc: IpcMainLike, verb: Verb, policy: SenderPolicy): void {
  ipc.handle(verbChannel(verb), async (event, ...args): Promise<ApiResult<unknown>> => {
    const refusal = senderRefusal(event, policy);
    if (refusal) return { ok: false, error: { code: 'forbidden', message: `${verb}: ${refusal}.` } };
    if (args.length > 1)
      return {
        ok: false,
        error: { code: 'bad-input', message: `${verb}: takes one argument, got ${args.length}.` },
      };
    return policy.pageOf(event.sender.id)!.dispatch(verb, args[0]);
  });
}

/** Registers every verb of the contract; returns the function that removes them. */
export function registerApiHandlers(ipc: IpcMainLike, policy: SenderPolicy): () => void {
  for (const verb of VERBS) handleChecked(ipc, verb, policy);
  return () => {
    for (const verb of VERBS) ipc.removeHandler(verbChannel(verb));
  };
}
