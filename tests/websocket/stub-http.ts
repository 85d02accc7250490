// Test support: the part of HTTP/1.1 that WebSocket depends on, standing in until (and besides)
// http.ts: request/response heads cut at the blank line, and on `101 Switching Protocols` with
// `Upgrade: websocket` the contract http.ts fulfils (app-common.md): the response's
// Sec-WebSocket-Extensions in the conversation state `websocket.handshake`, both directions
// switched to 'websocket'. It claims the fixtures' ports (8080, and 9123 where http.ts finds HTTP
// by its heuristic), so the tests exercise the upgrade path with or without the real dissector.
import type { Dissector } from '../../shared/dissect/engine';
import { Engine } from '../../shared/dissect/engine';
import { defineFields } from '../../shared/dissect/fields';
import { NEED_MORE, NOT_MINE } from '../../shared/reassembly/pdu-stream';
import { allDissectors } from '../../shared/dissectors';

const fields = defineFields(
  'wstest-http',
  'HTTP head (WebSocket tests)',
  { osi: 7, tcpip: 'application' },
  {},
);

function head(data: Uint8Array, offset: number, end: number): number {
  for (let i = offset; i + 3 < end; i++)
    if (data[i] === 13 && data[i + 1] === 10 && data[i + 2] === 13 && data[i + 3] === 10)
      return i + 4 - offset;
  return -1;
}

const latin1 = (b: Uint8Array) => String.fromCharCode(...b);

export const stubHttp: Dissector = {
  fields,
  in: { 'tcp.port': [8080, 9123] },
  dissect(c) {
    c.skip(c.remaining);
    return {};
  },
  framing: {
    minLength: 4,
    pduLength(data, offset, end) {
      const t = latin1(data.subarray(offset, Math.min(end, offset + 5)));
      if (!/^(GET |HTTP\/)/.test(t) && end - offset >= 5) return NOT_MINE;
      const n = head(data, offset, end);
      return n < 0 ? NEED_MORE : n;
    },
    onPdu(data, offset, length, side) {
      const text = latin1(data.subarray(offset, offset + length));
      if (!/^HTTP\/1\.1 101/.test(text) || !/\r\nupgrade:\s*websocket/i.test(text)) return;
      const hs = side.convState<{ extensions?: string }>('websocket.handshake', () => ({}));
      const ext = /\r\nsec-websocket-extensions:\s*([^\r]*)/i.exec(text);
      if (ext) hs.extensions = ext[1];
      side.switchTo('websocket');
      side.switchPeer('websocket');
    },
  },
};

/** Every dissector of the project with the stand-in on top (it wins the fixtures' ports). */
export function engineWithStub(): Engine {
  return new Engine([...allDissectors, stubHttp]);
}
