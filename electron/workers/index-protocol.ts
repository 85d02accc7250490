// Messages between the index worker and its owner (electron/backend/capture-index.ts). Plain
// data only: everything here crosses a worker boundary by structured clone.
import { CaptureError } from '../../shared/capture/types';
import type {
  DnsStats,
  EndpointStats,
  ExpertStats,
  HttpStats,
  FilterValues,
  IoLine,
  IoStats,
  PhsStats,
  StatsKind,
  TcpGraphStats,
} from '../../shared/contract/api';
import type { Dissection } from '../../shared/dissect/types';
import type { Row } from '../../shared/index/columns';
import type { CaptureSummary } from '../../shared/index/indexer';
import type { MessageLevel, MessagesResult } from '../../shared/messages/messages';
import type { StreamRef } from '../../shared/messages/source';
import type { IndexTablesDelta } from '../../shared/index/packet-index';
import type { DecodeAs } from '../cli/args';
import type { ColoredRows, ConversationTables, FindKind, TextColumn } from '../backend/worker-requests';

export interface IndexWorkerData {
  path: string;
  chunkSize?: number;
  decodeAs?: DecodeAs[];
  /**
   * Live capture: the owner sends the capture stream as `chunk` messages (after writing each to
   * `path`, which detail requests read back) and `end` when it stops; the worker does not read
   * the file sequentially.
   */
  live?: boolean;
}

/** owner → worker */
export type ToWorker =
  | { type: 'rows'; id: number; from: number; count: number }
  | { type: 'detail'; id: number; frame: number }
  /** Rows for these frame numbers with their coloring rule (the app's packet list). */
  | { type: 'colored-rows'; id: number; frames: number[]; coloring?: string[] }
  /** Frames 1..count ordered by a column's text (sorting the packet list). */
  | { type: 'sort'; id: number; column: TextColumn; count: number }
  | { type: 'conversations'; id: number }
  /** The sequence diagram's messages of these conversations (all when empty). */
  | { type: 'messages'; id: number; streams: StreamRef[]; levels: MessageLevel[]; after?: number }
  /** Frames 1..count that a display filter selects, in frame order. */
  | { type: 'filter'; id: number; text: string; count: number }
  /** The Statistics views' figures over the frames indexed so far (interval in microseconds). */
  | { type: 'stats'; id: number; kind: StatsKind; interval: number; stream?: number; lines?: IoLine[] }
  /** Values a field takes (filter completion), from a bounded scan. */
  | { type: 'values'; id: number; field: string; prefix?: string }
  /** The next frame after `from` (wrapping) that matches, 0 when none (Find packet). */
  | { type: 'find'; id: number; kind: FindKind; text: string; from: number; count: number; within?: string }
  /** Live: the next bytes of the capture stream (already written to the file at the same offset). */
  | { type: 'chunk'; bytes: Uint8Array }
  /** Live: the stream ended; the pass finishes with the bytes received (a cut last packet is a warning). */
  | { type: 'end' }
  /** Stops the index pass; what is indexed so far stays usable. */
  | { type: 'cancel' }
  /** Closes the file and ends the worker. */
  | { type: 'close' };

export interface WorkerFailure {
  name: string;
  message: string;
  /** CaptureError's byte offset. */
  offset?: number;
}

/** An error as a worker posts it (toError in electron/backend/capture-index.ts makes it again). */
export function workerFailure(e: unknown): WorkerFailure {
  if (e instanceof CaptureError) return { name: e.name, message: e.message, offset: e.offset };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

/** worker → owner */
export type FromWorker =
  /** A new index block: shared memory, so the owner sees the worker's later writes to it. */
  | { type: 'block'; index: number; buffer: SharedArrayBuffer }
  /** Records [0, count) are final; `tables` holds the intern-table entries added since the last message. */
  | { type: 'progress'; bytes: number; total: number; count: number; tables: IndexTablesDelta }
  | { type: 'done'; count: number; tables: IndexTablesDelta; summary: CaptureSummary; cancelled: boolean }
  | { type: 'failed'; count: number; tables: IndexTablesDelta; error: WorkerFailure }
  | { type: 'rows'; id: number; rows: Row[] }
  | { type: 'detail'; id: number; dissection: Dissection | null; bytes: Uint8Array | null }
  | { type: 'colored-rows'; id: number; result: ColoredRows }
  | { type: 'sort'; id: number; order: Uint32Array }
  | { type: 'conversations'; id: number; result: ConversationTables }
  | { type: 'messages'; id: number; result: MessagesResult }
  | {
      type: 'stats';
      id: number;
      result: PhsStats | ExpertStats | IoStats | EndpointStats | TcpGraphStats | HttpStats | DnsStats;
    }
  | { type: 'filter'; id: number; frames: Uint32Array }
  | { type: 'values'; id: number; result: FilterValues }
  | { type: 'find'; id: number; frame: number }
  | { type: 'reply-error'; id: number; error: WorkerFailure };
