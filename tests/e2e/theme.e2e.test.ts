// Themes (light, dark, high contrast), font zoom with Ctrl +/−/0, both remembered across reloads,
// and a layout that holds from a small laptop to a 4K projector. Screenshots of each for review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grid, rowAt, until, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { mixedPcap } from './support/captures';
import { startServe, type Served } from './support/serve';

const rootTheme = (b: Browser) => b.page.evaluate(() => document.documentElement.dataset.theme);
const rootFontPx = (b: Browser) =>
  b.page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
const bodyBg = (b: Browser) => b.page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** WCAG relative luminance contrast of two rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? [])
      .slice(0, 3)
      .map(Number)
      .map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

async function selectTcpFlags(b: Browser) {
  await rowAt(b.page, 13).click();
  await until(
    () => b.page.getByRole('tree').getAttribute('aria-label'),
    (l) => l === 'Layers and fields of packet 13',
    'packet 13',
  );
  await b.page.locator('[role=treeitem][data-abbrev=tcp] .twisty').click();
  await b.page.locator('[role=treeitem][data-abbrev="tcp.flags"]').click();
}

describe.skipIf(!!chromiumMissing)(`themes, zoom and layout ${chromiumMissing}`, () => {
  let served: Served;
  beforeAll(async () => {
    served = await startServe([mixedPcap]);
  });
  afterAll(async () => {
    await served?.close();
  });

  describe('at 1600 × 900', () => {
    let b: Browser;
    beforeAll(async () => {
      b = await openBrowser(served.url);
      await waitLoaded(b.page);
      await selectTcpFlags(b);
    });
    afterAll(async () => {
      await b?.close();
    });

    it('switches between light, dark and high contrast, each readable', async () => {
      const seen = new Set<string>();
      for (const [name, theme] of [
        ['Light', 'light'],
        ['Dark', 'dark'],
        ['High contrast', 'contrast'],
      ] as const) {
        await b.page.getByRole('radio', { name }).click();
        expect(await rootTheme(b)).toBe(theme);
        expect(await b.page.getByRole('radio', { name }).getAttribute('aria-checked')).toBe('true');
        const bg = await bodyBg(b);
        seen.add(bg);
        const fg = await b.page.evaluate(() => getComputedStyle(document.body).color);
        expect(contrast(fg, bg), `${theme}: text on background`).toBeGreaterThan(
          theme === 'contrast' ? 15 : 7,
        );
        // The selected packet and the highlighted bytes stay legible in every theme.
        const sel = await grid(b.page)
          .locator('[role=row][aria-selected=true]')
          .evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
        expect(contrast(sel[0], sel[1]), `${theme}: selected row`).toBeGreaterThan(4.5);
        const hl = await b.page
          .locator('.hex .b.hl')
          .first()
          .evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
        expect(contrast(hl[0], hl[1]), `${theme}: highlighted bytes`).toBeGreaterThan(7);
        await screenshot(b.page, `theme-${theme}`);
      }
      expect(seen.size).toBe(3);
    });

    it('remembers the theme and zoom after a reload', async () => {
      await b.page.getByRole('radio', { name: 'Dark' }).click();
      await b.page.keyboard.press('Control+=');
      expect(await rootFontPx(b)).toBeCloseTo(16.5, 1);
      await b.page.reload();
      await waitLoaded(b.page);
      expect(await rootTheme(b)).toBe('dark');
      expect(await rootFontPx(b)).toBeCloseTo(16.5, 1);
    });

    it('Ctrl +, Ctrl − and Ctrl 0 scale every pane, rows included', async () => {
      await b.page.keyboard.press('Control+0');
      expect(await rootFontPx(b)).toBe(15);
      const rowH = () => rowAt(b.page, 1).evaluate((el) => el.getBoundingClientRect().height);
      const h100 = await rowH();
      await b.page.keyboard.press('Control+=');
      await b.page.keyboard.press('Control+=');
      expect(await rootFontPx(b)).toBeCloseTo(18.75, 1);
      expect(await b.page.getByRole('button', { name: /Reset text size/ }).textContent()).toBe('125%');
      await expect.poll(rowH).toBeGreaterThan(h100 * 1.2);
      await b.page.keyboard.press('Control+-');
      expect(await rootFontPx(b)).toBeCloseTo(16.5, 1);
      await b.page.keyboard.press('Control+0');
      expect(await rootFontPx(b)).toBe(15);
      expect(b.errors).toEqual([]);
    });
  });

  for (const [label, viewport, zoomSteps] of [
    ['laptop-1280x720', { width: 1280, height: 720 }, 0],
    ['narrow-900x800', { width: 900, height: 800 }, 0],
    ['projector-3840x2160-200pct', { width: 3840, height: 2160 }, 5],
  ] as const) {
    it(`lays out every pane on a ${label} screen`, async () => {
      const b = await openBrowser(served.url, viewport);
      try {
        await waitLoaded(b.page);
        await b.page.getByRole('radio', { name: 'Light' }).click();
        for (let i = 0; i < zoomSteps; i++) await b.page.keyboard.press('Control+=');
        await selectTcpFlags(b);
        for (const name of ['Packet list', 'Packet details', 'Packet bytes']) {
          const box = await b.page.getByRole('region', { name }).boundingBox();
          expect(box, name).not.toBeNull();
          expect(box!.width, `${name} width`).toBeGreaterThan(200);
          expect(box!.height, `${name} height`).toBeGreaterThan(100);
        }
        // Nothing spills out of the window sideways.
        const overflow = await b.page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
        await screenshot(b.page, `layout-${label}`);
        expect(b.errors).toEqual([]);
      } finally {
        await b.close();
      }
    });
  }
});
