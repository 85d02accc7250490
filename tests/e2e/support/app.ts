// User steps on the Wirescope page, named as a person would say them, for the e2e tests.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Locator, Page } from 'playwright-core';

export const grid = (page: Page): Locator => page.getByRole('grid');
export const tree = (page: Page): Locator => page.getByRole('tree');
export const bytesRegion = (page: Page): Locator => page.getByRole('region', { name: 'Packet bytes' });

/** Opens a capture through the page's file picker (the bytes are uploaded in chunks). */
export async function uploadCapture(page: Page, path: string): Promise<void> {
  await page.locator('[data-testid=file-input]').setInputFiles(path);
}

/** Drops a file on the window, as dragging it from a file manager does. */
export async function dropCapture(page: Page, path: string): Promise<void> {
  const bytes = [...readFileSync(path)];
  const name = basename(path);
  const dt = await page.evaluateHandle(
    ({ bytes, name }) => {
      const t = new DataTransfer();
      t.items.add(new File([new Uint8Array(bytes)], name));
      return t;
    },
    { bytes, name },
  );
  const app = page.locator('.app');
  await app.dispatchEvent('dragenter', { dataTransfer: dt });
  await app.dispatchEvent('dragover', { dataTransfer: dt });
  await app.dispatchEvent('drop', { dataTransfer: dt });
}

/** Waits until the index pass is over (the progress bar is gone and the status shows a load time). */
export async function waitLoaded(page: Page, timeout = 60_000): Promise<void> {
  await page.getByTestId('status-load').waitFor({ timeout });
}

/** The packet rows on screen, as the cells' text. */
export async function visibleRows(page: Page): Promise<string[][]> {
  return grid(page)
    .locator('.packet-spacer > [role=row]:not([aria-busy])')
    .evaluateAll((rows) =>
      rows
        .map((r) => ({
          i: Number(r.getAttribute('aria-rowindex')),
          cells: [...r.querySelectorAll('[role=gridcell]')].map((c) => c.textContent ?? ''),
        }))
        .sort((a, b) => a.i - b.i)
        .map((r) => r.cells),
    );
}

/** The row of packet position `index` (1-based aria-rowindex). */
export const rowAt = (page: Page, index: number): Locator =>
  grid(page).locator(`[role=row][aria-rowindex="${index}"]`);

/** Offsets of the bytes highlighted in the hex view. */
export async function highlightedOffsets(page: Page): Promise<number[]> {
  return bytesRegion(page)
    .locator('.hex .b.hl')
    .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.o)));
}

/** Polls `read` until `ok` holds for its value (for hooks, where expect.poll is not allowed). */
export async function until<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  timeout = 20_000,
): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
