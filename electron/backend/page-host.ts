// What a page's handler modules (live capture, labs, samples, exports) may do with the page that
// called them, without reaching into PageSession's internals (backend.ts). Each module exports
// its handlers as a function of a PageHost; PageSession spreads them into its handler table.
import type {
  CaptureId,
  CaptureInfo,
  CaptureOrigin,
  CaptureState,
  LiveSourceInfo,
} from '../../shared/contract/api';
import type { LiveSource } from '../live/source';
import type { BackendOptions, EventSink } from './backend';
import type { CaptureIndex } from './capture-index';

/** An open capture as handler modules see it. */
export interface HostedCapture {
  readonly info: CaptureInfo;
  /** The index worker's owner side: rows, detail, conversations, messages, filter… */
  readonly index: CaptureIndex;
  /** The capture file on disk (a live capture's growing temp file). */
  readonly path: string;
  state(): CaptureState;
}

export interface PageHost {
  readonly options: BackendOptions;
  /**
   * Opens a live capture for this page: starts `source`, writes its stream to a temp file (removed
   * on close) and indexes it as it grows. Resolves once the source is capturing; rejects (and
   * opens nothing) when it cannot start.
   */
  openLive(source: LiveSource, name: string, live: LiveSourceInfo): Promise<CaptureInfo>;
  /** Stops a live capture (no-op when it already ended); the capture stays open. */
  stopLive(capture: CaptureId): Promise<void>;
  /** One of this page's open captures; throws ApiFailure('not-found') otherwise. */
  capture(capture: CaptureId): HostedCapture;
  /** Opens a capture file for the page (samples). */
  openPath(path: string, origin: CaptureOrigin, shownName?: string): CaptureInfo;
  /** Sends an event to this page. */
  emit: EventSink;
  /** Runs when the page goes away, before its captures close (stop labs, release exports). */
  onDispose(fn: () => Promise<void> | void): void;
}
