// The Mermaid `packet` text of real headers must parse and render with the mermaid package itself,
// in Chromium. Mermaid is not a project dependency: the test runs when it is installed in
// node_modules or named by MERMAID_JS (…/mermaid/dist/mermaid.min.js), and skips saying so otherwise.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { toMermaidPacket } from '../../shared/diagram/mermaid-packet';
import { chromiumMissing, chromiumPath } from '../e2e/support/browser';
import { dissectFile } from '../support/dissect-file';

function findMermaid(): string | null {
  if (process.env.MERMAID_JS) return existsSync(process.env.MERMAID_JS) ? process.env.MERMAID_JS : null;
  try {
    return createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
  } catch {
    return null;
  }
}

const mermaidJs = findMermaid();
const skip = mermaidJs
  ? chromiumMissing
  : '(skipped: the mermaid package is not installed; set MERMAID_JS to its dist/mermaid.min.js)';

const captures = join(import.meta.dirname, '../fixtures/captures');

/** Every distinct header diagram of the first frames of a few captures (Ethernet, SLL, IPv4/6, TCP, UDP, ARP, ICMPv6…). */
function diagrams(): string[] {
  const out = new Set<string>();
  for (const f of [
    'lo-http4.pcap',
    'lo-http6.pcapng',
    'lo-mixed.pcap',
    'vlan-arp-nd.pcap',
    'any-sll2.pcapng',
  ])
    for (const d of dissectFile(join(captures, f)).frames.slice(0, 12))
      for (const l of d.layers) if (l.proto !== 'frame') out.add(toMermaidPacket(l));
  return [...out];
}

describe.skipIf(!!skip)(`Mermaid packet diagrams render with mermaid in Chromium ${skip}`, () => {
  it('every header of real frames parses and renders one block per field', async () => {
    const texts = diagrams();
    expect(texts.length).toBeGreaterThan(10);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><html><body></body></html>');
      await page.addScriptTag({ path: mermaidJs! });
      const results = await page.evaluate(async (ts) => {
        const m = (
          window as unknown as {
            mermaid: { initialize(o: object): void; render(id: string, t: string): Promise<{ svg: string }> };
          }
        ).mermaid;
        m.initialize({ startOnLoad: false });
        const out: { error?: string; blocks?: number }[] = [];
        for (const [i, t] of ts.entries()) {
          try {
            const { svg } = await m.render(`p${i}`, t);
            const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
            out.push({ blocks: doc.querySelectorAll('rect.packetBlock').length });
          } catch (e) {
            out.push({ error: String((e as Error).message ?? e) });
          }
        }
        return out;
      }, texts);
      for (const [i, r] of results.entries()) {
        expect(r.error, texts[i]).toBeUndefined();
        // Mermaid splits a field that crosses a 32-bit row into one block per row.
        const fields = texts[i].split('\n').filter((l) => /^\d/.test(l)).length;
        expect(r.blocks, texts[i]).toBeGreaterThanOrEqual(fields);
      }
    } finally {
      await browser.close();
    }
  });
});
