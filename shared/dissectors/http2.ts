// HTTP/2 (RFC 9113). Work in progress: the context type the body dissectors (gRPC) receive is
// settled; the dissector lands next.
import type { Dissector } from '../dissect/engine';

/** One header field as HPACK decoded it (names lower-case as on the wire). */
export interface Http2Header {
  name: string;
  value: string;
}

/**
 * What a body dissector reached through the `media_type` table from HTTP/2 DATA gets as
 * `p.context`. `dir` is the TCP direction (0: the one that spoke first); `fromClient` says whether
 * the bytes go client → server. `requestHeaders` / `responseHeaders` are the stream's header lists
 * known when the bytes were dissected (pseudo-headers included; trailers excluded); `endStream`
 * is set when the DATA frame that completed these bytes carried END_STREAM.
 */
export interface Http2Context {
  tcpStream: number;
  streamId: number;
  dir: 0 | 1;
  fromClient: boolean;
  requestHeaders: readonly Http2Header[];
  responseHeaders: readonly Http2Header[];
  /** Trailers (a HEADERS block after the DATA, e.g. grpc-status) when already seen; else empty. */
  trailers: readonly Http2Header[];
  endStream: boolean;
}

export const dissectors: readonly Dissector[] = [];
