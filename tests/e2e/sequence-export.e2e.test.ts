// From the Conversations tab to a saved pcapng, as a teacher prepares a lesson: two conversations
// ticked and diagrammed together (and one diagrammed by its row's action), then the diagrammed
// conversations exported as pcapng from the sequence view's Export menu; the file is re-opened
// with our engine and with tshark, which must see exactly those conversations' packets (times,
// lengths, comments). The selected header's Mermaid packet diagram is saved too.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dissectFile } from '../support/dissect-file';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { until, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { TempDir, webPcapng } from './support/captures';
import { startServe, type Served } from './support/serve';

const pane = (b: Browser) => b.page.getByRole('region', { name: 'Sequence diagram' });
const convs = (b: Browser) => b.page.getByRole('region', { name: 'Conversations' });
const arrows = (b: Browser) => pane(b).locator('g.seq-msg-row');

async function save(b: Browser, item: RegExp, path: string): Promise<string> {
  await pane(b)
    .getByRole('button', { name: /^Export/ })
    .click();
  const [dl] = await Promise.all([
    b.page.waitForEvent('download'),
    pane(b).getByRole('menuitem', { name: item }).click(),
  ]);
  await dl.saveAs(path);
  return dl.suggestedFilename();
}

describe.skipIf(!!chromiumMissing)(`sequence view exports ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  const tmp = new TempDir();
  beforeAll(async () => {
    served = await startServe([webPcapng]);
    b = await openBrowser(served.url, { width: 1600, height: 900 });
    await waitLoaded(b.page);
    await b.page.getByRole('tab', { name: 'Conversations' }).click();
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
    tmp.remove();
  });

  it('a row’s Diagram action opens the Sequence tab on that conversation', async () => {
    await convs(b).getByRole('button', { name: 'Diagram TCP 1' }).click();
    await until(
      () => arrows(b).count(),
      (n) => n > 0,
      'the diagram of TCP 1',
    );
    expect(
      await pane(b)
        .getByRole('button', { name: /^Choose conversations/ })
        .getAttribute('aria-label'),
    ).toBe('Choose conversations (tcp:1)');
    expect(b.errors).toEqual([]);
  });

  it('ticked rows are diagrammed together; pcapng of these conversations re-opens in the engine and tshark', async () => {
    await b.page.getByRole('tab', { name: 'Conversations' }).click();
    await convs(b).getByRole('checkbox', { name: 'Select TCP 0 for the diagram' }).check();
    await convs(b).getByRole('checkbox', { name: 'Select UDP 0 for the diagram' }).check();
    await convs(b).getByRole('button', { name: 'Diagram 2 selected' }).click();
    await until(
      () =>
        pane(b)
          .getByRole('button', { name: /^Choose conversations/ })
          .getAttribute('aria-label'),
      (l) => l === 'Choose conversations (tcp:0, udp:0)',
      'both conversations chosen',
    );
    await until(
      () => arrows(b).count(),
      (n) => n > 0,
      'the diagram',
    );
    // What the diagram draws: the frames of both conversations, at the transport level.
    await pane(b).getByRole('button', { name: 'Transport', exact: true }).click();
    await screenshot(b.page, 'sequence-export-two-conversations');

    const out = tmp.file('two.pcapng');
    const name = await save(b, /pcapng \(these conversations\)/, out);
    expect(name).toBe('web-tcp0-udp0.pcapng');
    const got = dissectFile(out).frames;
    // Our engine reads it whole; tshark says which frames they are.
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((d) => d.layers.some((l) => l.proto === 'tcp' || l.proto === 'udp'))).toBe(true);
    if (tsharkMissing) return;
    const fields = ['frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.comment', 'frame.protocols'];
    const expected = tsharkFields(webPcapng, fields, ['-Y', 'tcp.stream == 0 || udp.stream == 0']);
    expect(expected.length).toBe(got.length);
    expect(tsharkFields(out, fields)).toEqual(expected);
    // tshark sees the same two conversations in the export (renumbered from 0 in order).
    const streams = tsharkFields(out, ['tcp.stream', 'udp.stream']);
    expect(new Set(streams.map((r) => r.join('/')))).toEqual(new Set(['0/', '/0']));
    expect(b.errors).toEqual([]);
  });

  it('the selected packet’s header as a Mermaid packet diagram', async () => {
    await arrows(b).first().click();
    await until(
      () =>
        pane(b)
          .getByRole('button', { name: /^Export/ })
          .isEnabled(),
      (v) => v,
      'export enabled',
    );
    await pane(b)
      .getByRole('button', { name: /^Export/ })
      .click();
    const item = pane(b).getByRole('menuitem', { name: /Mermaid packet/ });
    await until(
      () => item.textContent(),
      (t) => /\((Transmission Control Protocol|User Datagram Protocol).* header\)/.test(t ?? ''),
      'the transport header named',
    );
    await pane(b)
      .getByRole('button', { name: /^Export/ })
      .click();
    const out = tmp.file('header.mmd');
    await save(b, /Mermaid packet/, out);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('packet-beta\n')).toBe(true);
    // A TCP or UDP header: the source port is its first 16 bits.
    expect(text).toMatch(/\n0-15: "Source Port"\n/);
    expect(b.errors).toEqual([]);
  });
});
