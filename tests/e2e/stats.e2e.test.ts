// Statistics, as a person uses them: the side panel's Statistics tab shows the protocol hierarchy
// (checked against `tshark -q -z io,phs`), expert information grouped by severity whose entries
// select their packet (checked against tshark's `_ws.expert.message`), and the I/O graph, whose
// interval can be changed and whose points go to their first packet.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkFields, tsharkMissing, tsharkPath } from '../support/tshark';
import { tree, until, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { mixedPcap } from './support/captures';
import { startServe, type Served } from './support/serve';

const region = (b: Browser) => b.page.getByRole('region', { name: 'Statistics' });
const phsRows = (b: Browser) => region(b).locator('tbody tr.phs-row');
const show = (b: Browser, name: string) => region(b).getByRole('button', { name, exact: true }).click();

interface PhsLine {
  path: string;
  frames: number;
  bytes: number;
}

/** `tshark -q -z io,phs`: each line's protocol path (from the indent), frames and bytes. */
function tsharkPhs(file: string): PhsLine[] {
  const text = execFileSync(tsharkPath, ['-n', '-q', '-r', file, '-z', 'io,phs'], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
  });
  const out: PhsLine[] = [];
  const stack: string[] = [];
  for (const m of text.matchAll(/^( *)(\S+)\s+frames:(\d+) bytes:(\d+)$/gm)) {
    const depth = m[1].length / 2;
    stack.length = depth;
    stack.push(m[2]);
    out.push({ path: stack.join('/'), frames: Number(m[3]), bytes: Number(m[4]) });
  }
  return out;
}

describe.skipIf(!!chromiumMissing)(`statistics ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  beforeAll(async () => {
    served = await startServe([mixedPcap]);
    b = await openBrowser(served.url);
    await waitLoaded(b.page);
    await b.page.getByRole('tab', { name: 'Statistics' }).click();
    await until(
      () => phsRows(b).count(),
      (n) => n > 0,
      'the protocol hierarchy',
    );
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
  });

  it('shows the protocol hierarchy as an indented tree with packets, bytes and share', async () => {
    const paths = await phsRows(b).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-path')));
    expect(paths[0]).toBe('eth');
    expect(paths).toContain('eth/ip/tcp');
    expect(await region(b).getByTestId('phs-total').textContent()).toBe('32 packets · 2,834 bytes');
    const eth = await phsRows(b).first().locator('td').allTextContents();
    expect(eth[2]).toBe('100.0 %');
    await screenshot(b.page, 'stats-phs');
    expect(b.errors).toEqual([]);
  });

  it.skipIf(!!tsharkMissing)(
    `counts the same packets and bytes per protocol as tshark -z io,phs ${tsharkMissing}`,
    async () => {
      const want = tsharkPhs(mixedPcap);
      expect(want.length).toBeGreaterThan(5);
      const got = await phsRows(b).evaluateAll((trs) =>
        trs.map((tr) => {
          const td = [...tr.querySelectorAll('td')].map((c) => c.textContent ?? '');
          return {
            path: tr.getAttribute('data-path') ?? '',
            frames: Number(td[1].replace(/,/g, '')),
            bytes: Number(td[3].replace(/,/g, '')),
          };
        }),
      );
      expect(got).toEqual(want);
    },
  );

  it('collapses and expands a protocol', async () => {
    const before = await phsRows(b).count();
    await region(b).getByRole('button', { name: 'Collapse ip', exact: true }).click();
    expect(await phsRows(b).count()).toBeLessThan(before);
    await region(b).getByRole('button', { name: 'Expand ip', exact: true }).click();
    expect(await phsRows(b).count()).toBe(before);
  });

  it('groups expert information by severity with counts; an entry selects its packet', async () => {
    await show(b, 'Expert info');
    const groups = region(b).locator('details.expert-group');
    await until(
      () => groups.count(),
      (n) => n > 0,
      'the expert groups',
    );
    expect(await groups.evaluateAll((ds) => ds.map((d) => d.getAttribute('data-severity')))).toEqual([
      'note',
      'chat',
    ]);
    const summaries = await groups.locator('summary').allTextContents();
    expect(summaries).toEqual(['Notes4', 'Chats8']);
    await screenshot(b.page, 'stats-expert');

    const message = 'Connection establish acknowledge (SYN+ACK): server port 7002';
    const entry = region(b).locator('button.expert-link', { hasText: message });
    await entry.click();
    // tshark's own notes say which packet carries it.
    const want = tsharkMissing
      ? 24
      : Number(
          tsharkFields(mixedPcap, ['frame.number', '_ws.expert.message'], ['-Y', '_ws.expert']).find(
            ([, m]) => m.split(',').includes(message),
          )![0],
        );
    await expect
      .poll(() => tree(b.page).getAttribute('aria-label'))
      .toBe(`Layers and fields of packet ${want}`);
    await expect.poll(() => entry.getAttribute('aria-current')).toBe('true');
    await expect.poll(() => b.page.locator('[role=grid] [role=row][aria-selected=true]').count()).toBe(1);
    await screenshot(b.page, 'stats-expert-selected');
    expect(b.errors).toEqual([]);
  });

  it('draws packets per second; the interval can change; a click goes to the first packet there', async () => {
    await show(b, 'I/O graph');
    const svg = region(b).getByRole('img', { name: /Packets per second/ });
    await svg.waitFor();
    expect(await region(b).getByTestId('io-summary').textContent()).toMatch(/^32 packets in \d+ intervals$/);
    await screenshot(b.page, 'stats-io');
    await region(b).getByLabel('Interval', { exact: true }).selectOption({ label: '100 ms' });
    await expect.poll(() => svg.getAttribute('aria-label')).toBe('Packets per second, 100 ms intervals');
    expect(await region(b).getByTestId('io-summary').textContent()).toMatch(/^32 packets in \d+ intervals$/);
    await screenshot(b.page, 'stats-io-100ms');
    // The left edge of the graph is the first interval: it holds packet 1.
    const hit = region(b).getByTestId('io-hit');
    await hit.hover({ position: { x: 2, y: 10 } });
    await expect
      .poll(() => region(b).getByTestId('io-readout').textContent())
      .toMatch(/^0\.0 s: \d+ packets \(\d+\/s\), [\d,]+ bytes — click to go to packet 1$/);
    await hit.click({ position: { x: 2, y: 10 } });
    await expect.poll(() => tree(b.page).getAttribute('aria-label')).toBe('Layers and fields of packet 1');
    expect(b.errors).toEqual([]);
  });

  it('reads well in the dark theme too', async () => {
    await b.page.getByRole('radio', { name: 'Dark' }).click();
    await screenshot(b.page, 'stats-io-dark');
    await show(b, 'Protocol hierarchy');
    await phsRows(b).first().waitFor();
    await screenshot(b.page, 'stats-phs-dark');
    await show(b, 'Expert info');
    await region(b).locator('details.expert-group').first().waitFor();
    await screenshot(b.page, 'stats-expert-dark');
    expect(b.errors).toEqual([]);
  });
});
