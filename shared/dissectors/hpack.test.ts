// HPACK decoder against RFC 7541 Appendix C (every example, in sequence, with the dynamic table
// after each block), plus the error cases of §4.2, §5.1 and §5.2, and a property test.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HpackDecoder, huffmanDecode } from './hpack';

const hex = (s: string) =>
  Uint8Array.from(
    s
      .replace(/\s+/g, '')
      .match(/../g)!
      .map((h) => parseInt(h, 16)),
  );
const pairs = (d: HpackDecoder, b: string) => {
  const r = d.decode(hex(b));
  expect(r.error).toBeNull();
  return r;
};
const dyn = (d: HpackDecoder) => {
  const out: string[] = [];
  for (let i = 62; d.entry(i); i++) out.push(d.entry(i)!.join(': '));
  return out;
};

describe('RFC 7541 C.2 header field representations', () => {
  it('C.2.1 literal with indexing', () => {
    const d = new HpackDecoder();
    const r = pairs(d, '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572');
    expect(r.fields.map((f) => [f.name, f.value, f.repr])).toEqual([
      ['custom-key', 'custom-header', 'Literal Header Field with Incremental Indexing - New Name'],
    ]);
    expect(d.size).toBe(55);
  });
  it('C.2.2 literal without indexing', () => {
    const d = new HpackDecoder();
    const r = pairs(d, '040c 2f73 616d 706c 652f 7061 7468');
    expect(r.fields[0]).toMatchObject({ name: ':path', value: '/sample/path', index: 4 });
    expect(r.fields[0].repr).toBe('Literal Header Field without Indexing - Indexed Name');
    expect(d.size).toBe(0);
  });
  it('C.2.3 literal never indexed', () => {
    const d = new HpackDecoder();
    const r = pairs(d, '1008 7061 7373 776f 7264 0673 6563 7265 74');
    expect(r.fields[0]).toMatchObject({ name: 'password', value: 'secret', index: 0 });
    expect(r.fields[0].repr).toBe('Literal Header Field never Indexed - New Name');
    expect(d.size).toBe(0);
  });
  it('C.2.4 indexed', () => {
    const r = pairs(new HpackDecoder(), '82');
    expect(r.fields[0]).toMatchObject({
      name: ':method',
      value: 'GET',
      index: 2,
      repr: 'Indexed Header Field',
    });
  });
});

const requests = [
  [':method: GET', ':scheme: http', ':path: /', ':authority: www.example.com'],
  [':method: GET', ':scheme: http', ':path: /', ':authority: www.example.com', 'cache-control: no-cache'],
  [
    ':method: GET',
    ':scheme: https',
    ':path: /index.html',
    ':authority: www.example.com',
    'custom-key: custom-value',
  ],
];
const requestTables = [
  [':authority: www.example.com'],
  ['cache-control: no-cache', ':authority: www.example.com'],
  ['custom-key: custom-value', 'cache-control: no-cache', ':authority: www.example.com'],
];
const requestSizes = [57, 110, 164];

function runSequence(blocks: string[], want: string[][], tables: string[][], sizes: number[], max = 4096) {
  const d = new HpackDecoder();
  d.maxSize = d.limit = max;
  const evicted: string[][] = [];
  blocks.forEach((b, i) => {
    const r = pairs(d, b);
    expect(r.fields.map((f) => `${f.name}: ${f.value}`)).toEqual(want[i]);
    expect(dyn(d)).toEqual(tables[i]);
    expect(d.size).toBe(sizes[i]);
    expect(r.tableSize).toBe(sizes[i]);
    evicted.push(r.evicted.map((e) => `${e.name}: ${e.value}`));
  });
  return evicted;
}

describe('RFC 7541 C.3/C.4 requests', () => {
  it('C.3 without Huffman coding', () => {
    runSequence(
      [
        '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
        '8286 84be 5808 6e6f 2d63 6163 6865',
        '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
      ],
      requests,
      requestTables,
      requestSizes,
    );
  });
  it('C.4 with Huffman coding', () => {
    runSequence(
      [
        '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
        '8286 84be 5886 a8eb 1064 9cbf',
        '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
      ],
      requests,
      requestTables,
      requestSizes,
    );
  });
});

const date1 = 'date: Mon, 21 Oct 2013 20:13:21 GMT';
const date2 = 'date: Mon, 21 Oct 2013 20:13:22 GMT';
const loc = 'location: https://www.example.com';
const cookie = 'set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1';
const responses = [
  [':status: 302', 'cache-control: private', date1, loc],
  [':status: 307', 'cache-control: private', date1, loc],
  [':status: 200', 'cache-control: private', date2, loc, 'content-encoding: gzip', cookie],
];
const responseTables = [
  [loc, date1, 'cache-control: private', ':status: 302'],
  [':status: 307', loc, date1, 'cache-control: private'],
  [cookie, 'content-encoding: gzip', date2],
];
const responseSizes = [222, 222, 215];
const responseEvictions = [[], [':status: 302'], ['cache-control: private', date1, loc, ':status: 307']];

describe('RFC 7541 C.5/C.6 responses with eviction (table size 256)', () => {
  it('C.5 without Huffman coding', () => {
    const ev = runSequence(
      [
        '4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
        '4803 3330 37c1 c0bf',
        '88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31',
      ],
      responses,
      responseTables,
      responseSizes,
      256,
    );
    expect(ev).toEqual(responseEvictions);
  });
  it('C.6 with Huffman coding', () => {
    const ev = runSequence(
      [
        '4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3',
        '4883 640e ffc1 c0bf',
        '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
      ],
      responses,
      responseTables,
      responseSizes,
      256,
    );
    expect(ev).toEqual(responseEvictions);
  });
});

describe('size updates and errors', () => {
  it('a size update at the start shrinks the table and evicts', () => {
    const d = new HpackDecoder();
    pairs(d, '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d');
    expect(d.length).toBe(1);
    const r = pairs(d, '20 82');
    expect(r.sizeUpdates).toEqual([{ size: 0, at: 0, length: 1 }]);
    expect(r.evicted.map((e) => e.name)).toEqual([':authority']);
    expect(d.length).toBe(0);
    // Two updates at the start are allowed (§4.2: the smallest, then the final size).
    const r2 = pairs(d, '20 3fe1 1f 82');
    expect(r2.sizeUpdates.map((u) => u.size)).toEqual([0, 4096]);
  });
  it('rejects a size update after a field, above the limit, bad indexes, cut blocks, bad Huffman', () => {
    const cases: [string, RegExp][] = [
      ['82 20', /after the first header field/],
      ['3fe2 1f', /exceeds the limit 4096/],
      ['80', /index 0/],
      ['be', /not in the table/],
      ['7f00', /not in the table/],
      ['400a 6375', /runs past the end/],
      ['ff', /ends inside an integer/],
      ['ffffffffffff7f', /too large/],
      ['4081 ff 00', /Huffman/], // 8 bits of padding
      ['4081 fe 00', /Huffman/], // a 7-bit padding that is not all ones... '1111111 0'
    ];
    for (const [b, re] of cases) {
      const r = new HpackDecoder().decode(hex(b));
      expect(r.error, b).toMatch(re);
    }
    // Fields before the error are kept.
    const r = new HpackDecoder().decode(hex('8286 be'));
    expect(r.fields.length).toBe(2);
    expect(r.errorAt).toBe(2);
  });
  it('an entry larger than the table empties it and is not added (§4.4)', () => {
    const d = new HpackDecoder();
    d.maxSize = d.limit = 40;
    pairs(d, '4001 61 01 62'); // a: b, 34 octets
    expect(d.length).toBe(1);
    const r = pairs(d, '4001 63 0a 30313233343536373839'); // 43 octets > 40
    expect(r.evicted.length).toBe(1);
    expect(d.length).toBe(0);
    expect(d.size).toBe(0);
  });
});

describe('Huffman', () => {
  it('decodes "www.example.com" and "no-cache"', () => {
    const s = (b: string) => new TextDecoder().decode(huffmanDecode(hex(b), 0, hex(b).length)!);
    expect(s('f1e3 c2e5 f23a 6ba0 ab90 f4ff')).toBe('www.example.com');
    expect(s('a8eb 1064 9cbf')).toBe('no-cache');
  });
  it('the EOS symbol inside a string is an error', () => {
    expect(huffmanDecode(hex('ffffffff'), 0, 4)).toBeNull();
  });
});

describe('property: arbitrary blocks never throw', () => {
  it('random bytes decode to fields or an error, and the table stays within its size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 6 }),
        fc.nat(4096),
        (blocks, max) => {
          const d = new HpackDecoder();
          d.maxSize = d.limit = max;
          for (const b of blocks) {
            const r = d.decode(b);
            expect(r.errorAt).toBeLessThanOrEqual(b.length);
            expect(d.size).toBeLessThanOrEqual(d.maxSize);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
