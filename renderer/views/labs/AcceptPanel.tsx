// The handshake's Sec-WebSocket-Accept worked out in front of the class (RFC 6455 §4.2.2): the
// client's key from the GET, the GUID appended, SHA-1, base64 — recomputed here with WebCrypto and
// compared with what the server's 101 response said.
import { useEffect, useState } from 'react';
import { useAppStore, useAppStoreApi } from '../../state';
import { acceptSteps, WS_GUID, type AcceptSteps } from './accept';

export function AcceptPanel() {
  const store = useAppStoreApi();
  const h = useAppStore((s) => s.handshake);
  const [steps, setSteps] = useState<AcceptSteps | null>(null);
  useEffect(() => {
    let live = true;
    if (h?.key) void acceptSteps(h.key).then((s) => live && setSteps(s));
    else setSteps(null);
    return () => {
      live = false;
    };
  }, [h?.key]);
  return (
    <section className="lab-card accept" aria-label="Sec-WebSocket-Accept computation">
      <h3>Sec-WebSocket-Accept</h3>
      {!h || !steps ? (
        <p className="muted">Appears when the upgrade request (GET with Sec-WebSocket-Key) is captured.</p>
      ) : (
        <dl className="accept-steps">
          <dt>
            Key{' '}
            <button
              type="button"
              className="link-btn"
              onClick={() => void store.getState().goToFrame(h.keyFrame)}
            >
              packet {h.keyFrame}
            </button>
          </dt>
          <dd>
            <code data-testid="accept-key">{steps.key}</code>
          </dd>
          <dt>+ GUID</dt>
          <dd>
            <code className="guid">{WS_GUID}</code>
          </dd>
          <dt>SHA-1</dt>
          <dd>
            <code className="sha1">{steps.sha1}</code>
          </dd>
          <dt>base64</dt>
          <dd>
            <code className="accept-value" data-testid="accept-computed">
              {steps.accept}
            </code>
          </dd>
          <dt>
            101 says{' '}
            {h.acceptFrame > 0 && (
              <button
                type="button"
                className="link-btn"
                onClick={() => void store.getState().goToFrame(h.acceptFrame)}
              >
                packet {h.acceptFrame}
              </button>
            )}
          </dt>
          <dd>
            {h.accept ? (
              <>
                <code>{h.accept}</code>{' '}
                {h.accept === steps.accept ? (
                  <span className="ok" data-testid="accept-match">
                    ✓ matches
                  </span>
                ) : (
                  <span className="bad">✗ does not match</span>
                )}
              </>
            ) : (
              <span className="muted">waiting for the 101 response…</span>
            )}
          </dd>
        </dl>
      )}
    </section>
  );
}
