// Plain-words messages for the error banner: what went wrong, where, and what was kept. Pure, so
// the wording is tested without a window.
import { ApiCallError, type ApiError, type CaptureState } from '../../shared/contract/api';

export type NoticeTone = 'error' | 'warning' | 'info';

export interface Notice {
  id: number;
  tone: NoticeTone;
  title: string;
  message: string;
  /** What survived the problem ("The 120 packets before byte 4 096 are listed."). */
  kept?: string;
}

export type NoticeInput = Omit<Notice, 'id'>;

const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Bytes in the unit a person reads: 1.4 MB, 812 KB, 96 bytes. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return count(bytes, 'byte');
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** A failed call as a notice: the backend's own message is already in plain words. */
export function noticeOfError(title: string, e: unknown): NoticeInput {
  if (e instanceof ApiCallError) return { tone: 'error', title, message: e.message };
  const err = e as Partial<ApiError> | undefined;
  if (err && typeof err.message === 'string') return { tone: 'error', title, message: err.message };
  return { tone: 'error', title, message: String(e) };
}

/** What to tell the user when an index pass ends other than cleanly; null when all went well. */
export function noticeOfFinish(s: CaptureState): NoticeInput | null {
  const name = s.info.name;
  const n = s.progress.packets;
  if (s.phase === 'failed' && s.error) {
    const at = s.error.offset;
    const kept =
      n === 0
        ? 'No packet could be read from it.'
        : `The ${count(n, 'packet')} read before ${at !== undefined ? `byte ${at.toLocaleString('en-US')}` : 'the problem'} are listed.`;
    return {
      tone: 'error',
      title: n === 0 ? `${name} could not be opened` : `${name} could not be read to the end`,
      message: s.error.message,
      kept,
    };
  }
  if (s.phase === 'cancelled') {
    // Bytes read are not packets indexed (the reader reads ahead of the pass), so the notice
    // counts packets only.
    return {
      tone: 'info',
      title: `Stopped reading ${name}`,
      message: 'Indexing was cancelled before the end of the file.',
      kept: `The ${count(n, 'packet')} read so far are listed.`,
    };
  }
  const warnings = s.summary?.warnings ?? [];
  if (warnings.length > 0) {
    const first = warnings[0];
    const more = warnings.length > 1 ? ` (and ${count(warnings.length - 1, 'more warning')})` : '';
    return {
      tone: 'warning',
      title: `${name} is damaged`,
      message: `${first.message}${more}`,
      kept: `All ${count(n, 'whole packet')} are listed.`,
    };
  }
  return null;
}
