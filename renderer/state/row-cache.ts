// The packet list's rows, cached in fixed blocks of positions. The list asks the backend only for
// the blocks its visible window touches (plus one ahead and one behind), and the cache keeps a
// bounded number of blocks so that scrolling a million-packet capture from top to bottom holds
// memory flat. A block fetched while the index pass runs may be short (the capture had fewer rows
// then); it is refetched once the total has grown past it.
import type { PacketRow } from '../../shared/contract/api';

export const ROW_BLOCK = 50;
/** Blocks kept (LRU): a 4K screen shows ~150 rows, so 120 blocks is 40 screens of scrollback. */
export const MAX_BLOCKS = 120;

interface Block {
  rows: PacketRow[];
  /** Holds ROW_BLOCK rows, or the view was complete when it came: never refetched. */
  full: boolean;
}

export class RowCache {
  private readonly blocks = new Map<number, Block>();
  private readonly inFlight = new Set<number>();

  get size(): number {
    return this.blocks.size;
  }

  get(position: number): PacketRow | undefined {
    const b = this.blocks.get(Math.floor(position / ROW_BLOCK));
    return b?.rows[position % ROW_BLOCK];
  }

  /**
   * The block numbers to fetch so that positions [from, from + count) are present, given the view
   * holds `total` rows: absent blocks, and short blocks the total has outgrown. Marks them in flight.
   */
  claim(from: number, count: number, total: number): number[] {
    const end = Math.min(total, from + count);
    const out: number[] = [];
    if (end <= from) return out;
    for (let b = Math.floor(from / ROW_BLOCK); b * ROW_BLOCK < end; b++) {
      if (this.inFlight.has(b)) continue;
      const have = this.blocks.get(b);
      if (have && (have.full || b * ROW_BLOCK + have.rows.length >= Math.min(total, (b + 1) * ROW_BLOCK)))
        continue;
      this.inFlight.add(b);
      out.push(b);
    }
    return out;
  }

  /** Stores a fetched block (the batch's rows start at the block's first position). */
  put(block: number, rows: PacketRow[], complete: boolean): void {
    this.inFlight.delete(block);
    this.blocks.delete(block);
    this.blocks.set(block, { rows, full: complete || rows.length >= ROW_BLOCK });
    while (this.blocks.size > MAX_BLOCKS) {
      const oldest = this.blocks.keys().next().value as number;
      this.blocks.delete(oldest);
    }
  }

  /** A fetch failed or was superseded: the block may be asked for again. */
  release(block: number): void {
    this.inFlight.delete(block);
  }

  /** Marks a block as just used (LRU order) without refetching it. */
  touch(position: number): void {
    const b = Math.floor(position / ROW_BLOCK);
    const have = this.blocks.get(b);
    if (!have) return;
    this.blocks.delete(b);
    this.blocks.set(b, have);
  }

  /** Position of the row of frame `frame` among the cached rows, or -1. */
  positionOf(frame: number): number {
    for (const [b, block] of this.blocks) {
      const i = block.rows.findIndex((r) => r.number === frame);
      if (i >= 0) return b * ROW_BLOCK + i;
    }
    return -1;
  }
}
