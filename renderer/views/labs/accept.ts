// RFC 6455 §4.2.2 step 5.4: Sec-WebSocket-Accept = base64(SHA-1(key + GUID)). Recomputed in the
// page with WebCrypto, step by step, so the lab shows the computation rather than asserting it.
export const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface AcceptSteps {
  key: string;
  input: string;
  /** SHA-1 of the input, hex. */
  sha1: string;
  accept: string;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export async function acceptSteps(key: string): Promise<AcceptSteps> {
  const input = key + WS_GUID;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(input)));
  return {
    key,
    input,
    sha1: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
    accept: base64(digest),
  };
}
