// THE one list of deliberate, documented differences between Wirescope and tshark 4.0. The
// differential and registry tests never skip anything silently: a cell or a field that differs is
// either fixed or listed here with its reason, and the harness counts and prints what this list
// excused. Keep entries narrow (a file pattern, frames) and give the reason a reader can check.

export interface KnownDifference {
  /** The field(s) (filter names, `_ws.col.Info` for a column) concerned; `*` for every field. */
  field: string | readonly string[];
  /** Fixture files it applies to (matched against the file name); all when absent. */
  files?: RegExp;
  /** Frames it applies to; all when absent. */
  frames?: readonly number[];
  /**
   * What differs: `value` (a -T fields cell), `type` (type/base/mask in the registry), `label`
   * (the display name in the registry), `tree` (the tree line of an item, or of a layer when
   * `field` is a protocol, against tshark's PDML), `name` (a filter name tshark 4.0 does not
   * have: Wirescope-only).
   */
  kind: 'value' | 'type' | 'label' | 'tree' | 'name';
  reason: string;
}

export const knownDifferences: readonly KnownDifference[] = [
  {
    field: ['frame', 'frame.interface_name', 'frame.interface_description'],
    files: /^multi-section(-be)?\.pcapng$/,
    frames: [17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
    kind: 'value',
    reason:
      "tshark 4.0 describes the second section's packets with the FIRST section's interface 0 (name `any`, no description) although it decodes them with the second section's own IDB (encap 1, Ethernet): `tshark -r multi-section.pcapng -T fields -e frame.section_number -e frame.interface_name -e frame.encap_type` gives `2 any 1`. Wirescope names the interface the packet really came from (lo, Loopback), as each section's IDBs apply only within it (pcapng §4.2).",
  },
  {
    field: 'frame',
    files: /^multi-section(-be)?\.pcapng$/,
    kind: 'tree',
    reason:
      "The frame line's `on interface any, id 0` for the second section's packets: the same tshark 4.0 section/interface mix-up as the `value` entry above; Wirescope writes `on interface lo, id 0`.",
  },
  {
    field: 'frame.time_epoch',
    kind: 'type',
    reason:
      'tshark 4.0 registers frame.time_epoch as FT_RELATIVE_TIME (seconds since 1970); Wirescope keeps it an abs_time with base unix. Both print `S.NNNNNNNNN`, which the differential test checks.',
  },
  {
    field: 'dns.rr.udp_payload_size',
    kind: 'type',
    reason:
      "Wireshark 4.0 registers this name twice: for mDNS as BASE_HEX with mask 0x7fff (listed first, so `tshark -G fields` shows it), for DNS as BASE_DEC without a mask. Wirescope registers the DNS one, which plain DNS's -T fields cells (`1232`) follow; its mDNS tree line uses the masked twin.",
  },
  {
    field: ['frame.protocols', 'data', 'data.data', 'data.len'],
    files: /^tcp-analysis-edited\.pcap$/,
    frames: [11],
    kind: 'value',
    reason:
      'Frame 11 is the out-of-order segment that fills the hole before frames 9-10. Wireshark 4.0 (tcp.reassemble_out_of_order off by default) hands out-of-order data to no dissector; Wirescope reassembles out-of-order segments (shared/reassembly/tcp-stream.ts), so the bytes reach the data dissector.',
  },
  {
    field: 'data',
    files: /^tcp-analysis-edited\.pcap$/,
    frames: [11, 13, 17, 18, 19, 20, 22, 28, 29, 30, 31, 32],
    kind: 'tree',
    reason:
      'Data layers tshark 4.0 does not have. Frame 11: see the value entry for tcp-analysis-edited.pcap frame 11. Frames 13 and 17-32 (with an HTTP dissector registered, so tshark runs HTTP too): the HTTP response lost the segment at seq 1638-3086; frame 13 ACKs past it, so Wirescope takes the hole as lost, and the bytes after it (which HTTP cannot place in its message) go on as data — frames 9-11 reassembled in frame 13, then each later segment — where tshark waits for the hole to the end and shows them as "[TCP segment of a reassembled PDU]" (the value entry for these frames says the same). With `-o tcp.reassemble_out_of_order:TRUE` tshark does not show it either: it then waits for the hole before frame 9 (seq 1638-3086, never captured, ACKed by frame 13) until the end, so frames 9-10 and 17-32 become "[TCP segment of a reassembled PDU]" too, where Wirescope takes the acknowledged hole as lost and goes on.',
  },
  {
    field: 'tcp.segment_data',
    files: /^(lo-http4|lo-http4-bulk|lo-http6|multi-section|tcp-analysis-edited)\.pcap(ng)?$/,
    kind: 'value',
    reason:
      "Segments of an HTTP message reassembled later: Wireshark 4.0 shows each one's payload as tcp.segment_data; Wirescope's TCP (shared/dissectors/tcp.ts) does not set that field yet (reported in /work/briefs/bugs-http.md). It appeared when HTTP got its framing, since tshark then reassembles the same bodies.",
  },
  // ---- HTTP/1.x and bodies (shared/dissectors/http.ts, http-bodies.ts) ----
  {
    field: [
      'http.sec_websocket_accept.input',
      'http.sec_websocket_accept.sha1',
      'http.sec_websocket_accept.expected',
      'http.sec_websocket_accept.valid',
      'http.sec_websocket_accept.mismatch',
      'http.long_poll',
      'http.body_truncated',
      'json.invalid',
    ],
    kind: 'name',
    reason:
      "Wirescope-only items: the RFC 6455 §4.2.2 Sec-WebSocket-Accept computation under the header (Wireshark shows the header only), the long-polling note, a note for a body the capture cut short, and a note naming where a JSON body stops parsing (Wireshark's JSON parser has no such note).",
  },
  {
    field: [
      'sse',
      'sse.event',
      'sse.id',
      'sse.type',
      'sse.data',
      'sse.retry',
      'sse.comment',
      'sse.unknown_field',
      'sse.incomplete',
    ],
    kind: 'name',
    reason:
      'Wireshark 4.0 has no Server-Sent Events dissector (text/event-stream bodies go to Media Type); Wirescope decodes the events (WHATWG HTML §9.2) under its own `sse` prefix.',
  },
  {
    field: [
      'graphql',
      'graphql.operation_type',
      'graphql.operation_name',
      'graphql.query',
      'graphql.variables',
      'graphql.data',
      'graphql.errors',
      'graphql.error.message',
    ],
    kind: 'name',
    reason:
      'Wireshark 4.0 has no GraphQL dissector; Wirescope recognises GraphQL over HTTP under its own `graphql` prefix.',
  },
  {
    field: [
      'frame.protocols',
      'data',
      'data.data',
      'data.len',
      '_ws.col.Info',
      'tcp.reassembled_in',
      'tcp.segments',
      'tcp.segment',
      'tcp.segment.count',
      'tcp.reassembled.length',
      'tcp.reassembled.data',
    ],
    files: /^tcp-analysis-edited\.pcap$/,
    frames: [9, 10, 11, 13, 17, 18, 19, 20, 22, 28, 29, 30, 31, 32],
    kind: 'value',
    reason:
      "The HTTP response whose 3rd data segment was dropped (frame 9 of the source): Wireshark keeps waiting for the hole and shows the later segments as `[TCP segment of a reassembled PDU]` with nothing above TCP; Wirescope's reassembly drops the PDU at the gap the peer's ACK proves lost (shared/reassembly/tcp-stream.ts), and the bytes after it, which start no HTTP message, go to data (the three segments that waited ahead of the hole, frames 9-11, are delivered in frame 13 — the ACK that proves the hole lost — as three one-segment data PDUs, hence their tcp.reassembled_in and frame 13's segment lists).",
  },
  {
    field: [
      'grpc.service',
      'grpc.method',
      'grpc.call_type',
      'grpc.encoding',
      'grpc.timeout',
      'grpc.status',
      'grpc.status_message',
    ],
    kind: 'name',
    reason:
      "Wirescope-only gRPC items (shared/dissectors/grpc.ts): Wireshark 4.0 shows the call's path only in the `GRPC Message: /svc/Method, Request` line and leaves grpc-status, grpc-message, grpc-timeout and grpc-encoding to http2.header; Wirescope adds the service and method, the call pattern (from the schema or the messages seen), the decoded timeout, the encoding of a compressed message and the status from the trailers as filterable fields.",
  },
  {
    field: 'protobuf.field.number',
    kind: 'type',
    reason:
      "Wireshark registers it FT_UINT64 with mask 0xfffffffffffffff8 over the tag varint; a FieldDef mask is 32-bit, so Wirescope computes the number and draws the `.000 1...` picture itself (tests/grpc/messages.test.ts holds the cells to tshark's).",
  },
  {
    field: 'pkcs1',
    kind: 'name',
    reason:
      "Wireshark 4.0 registers the PKCS#1 protocol as `pkcs-1` while its fields are `pkcs1.*` (`tshark -G protocols` / `-G fields`). Wirescope's field tables name a protocol by its fields' prefix, so the protocol is `pkcs1`; every pkcs1.* field name is tshark's.",
  },
];

function covers(k: KnownDifference, field: string): boolean {
  return typeof k.field === 'string' ? k.field === field || k.field === '*' : k.field.includes(field);
}

export function knownValueDifference(
  file: string,
  frame: number,
  field: string,
): KnownDifference | undefined {
  return knownDifferences.find(
    (k) =>
      k.kind === 'value' &&
      covers(k, field) &&
      (!k.files || k.files.test(file)) &&
      (!k.frames || k.frames.includes(frame)),
  );
}

export function knownFieldDifference(
  field: string,
  kind: 'type' | 'label' | 'tree' | 'name',
  file?: string,
): KnownDifference | undefined {
  return knownDifferences.find(
    (k) => k.kind === kind && covers(k, field) && (!k.files || !file || k.files.test(file)),
  );
}

/**
 * A tree difference for one frame: a layer (or item) that Wirescope shows and tshark's PDML does
 * not have at all in that frame, or a differing tree line, when listed for this file and frame.
 */
export function knownTreeDifference(file: string, frame: number, field: string): KnownDifference | undefined {
  return knownDifferences.find(
    (k) =>
      k.kind === 'tree' &&
      covers(k, field) &&
      (!k.files || k.files.test(file)) &&
      (!k.frames || k.frames.includes(frame)),
  );
}
