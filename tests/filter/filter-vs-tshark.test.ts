// Display filters against the oracle: for every filter in filters.ts, Wirescope selects exactly the
// frames `tshark -2 -Y` selects on the same real capture, and rejects exactly what tshark rejects
// (with a position inside the filter text). Syntax only newer Wireshark accepts is checked against
// its tshark 4.0 equivalent.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { compileFilter, describeError } from '../../shared/filter/compile';
import { tsharkMissing } from '../support/tshark';
import { indexed, targets, tsharkSelect } from './filter-support';
import { EXTENSIONS, INVALID_FILTERS, VALID_FILTERS } from './filters';

const FIXTURES = join(__dirname, '..', 'fixtures');

function ours(file: string, filter: string): number[] | string {
  const c = compileFilter(filter);
  if (!c.ok) return describeError(filter, c.error);
  return targets(join(FIXTURES, file))
    .filter((t) => c.filter.test(t))
    .map((t) => t.d.frame);
}

describe.skipIf(!!tsharkMissing)('display filters select what tshark -Y selects', () => {
  for (const [file, filters] of Object.entries(VALID_FILTERS)) {
    it.each(filters.map((f) => [f]))(`${file}: %s`, (filter) => {
      const theirs = tsharkSelect(join(FIXTURES, file), filter);
      expect('frames' in theirs, `tshark rejected a filter listed as valid: ${JSON.stringify(theirs)}`).toBe(
        true,
      );
      expect(ours(file, filter)).toEqual((theirs as { frames: number[] }).frames);
      // Wherever the packet index answers (every frame for index fields; for application
      // protocols, the frames whose protocol chain lacks them) its verdict is tshark's.
      const c = compileFilter(filter);
      if (c.ok) {
        const { index } = indexed(join(FIXTURES, file));
        const want = new Set((theirs as { frames: number[] }).frames);
        for (let i = 0; i < index.count; i++) {
          const v = c.filter.testIndexed(index, i);
          if (v !== null) expect(v, `frame ${i + 1} from the index`).toBe(want.has(i + 1));
        }
      }
    });
  }

  it('application-protocol filters skip the frames whose protocol chain lacks them', () => {
    const { index } = indexed(join(FIXTURES, 'captures/lo-http4.pcap'));
    const c = compileFilter('http.request.method == "GET" or dns');
    expect(c.ok && !c.filter.indexed).toBe(true);
    if (!c.ok) return;
    let answered = 0;
    for (let i = 0; i < index.count; i++) if (c.filter.testIndexed(index, i) !== null) answered++;
    // The handshakes, ACKs and segments in the middle of a body: most of the capture.
    expect(answered).toBeGreaterThan(index.count / 2);
    expect(answered).toBeLessThan(index.count);
    // A filter reading a non-index field of a lower layer cannot be answered so.
    const ttl = compileFilter('http && ip.ttl == 64');
    expect(ttl.ok && ttl.filter.testIndexed(index, 0)).toBe(null);
  });

  it.each(INVALID_FILTERS.map((f) => [f]))('rejects %s, as tshark does', (filter) => {
    const theirs = tsharkSelect(join(FIXTURES, 'captures/lo-http4.pcap'), filter);
    expect('error' in theirs).toBe(true);
    const c = compileFilter(filter);
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.error.start).toBeGreaterThanOrEqual(0);
      expect(c.error.start).toBeLessThanOrEqual(filter.length);
      expect(c.error.message.length).toBeGreaterThan(10);
    }
  });

  it.each(EXTENSIONS.map((e) => [e.filter, e]))(
    '%s (newer syntax) selects what its tshark 4.0 form selects',
    (_f, e) => {
      const theirs = tsharkSelect(join(FIXTURES, e.file), e.same);
      expect('frames' in theirs).toBe(true);
      expect(ours(e.file, e.filter)).toEqual((theirs as { frames: number[] }).frames);
    },
  );
});
