// Each packet's protocol chain ("eth:ip:tcp:http:json", as tshark's frame.protocols without the
// frame and ethertype entries) kept in the packet index as one small id. A trie turns the layers
// into the id with a map lookup per layer, so no string is built per packet; the chain's text is
// interned once, when the trie first meets it.
import type { StringTable } from './intern';

export class ChainTrie {
  private readonly next: Map<string, number>[] = [new Map()];
  private readonly ids: number[] = [-1];
  private readonly texts: string[] = [''];
  private node = 0;

  constructor(private readonly table: StringTable) {}

  start(): void {
    this.node = 0;
  }

  step(proto: string): void {
    if (proto === 'frame') return;
    const here = this.next[this.node];
    let n = here.get(proto);
    if (n === undefined) {
      n = this.next.length;
      const text = this.node === 0 ? proto : `${this.texts[this.node]}:${proto}`;
      this.next.push(new Map());
      this.texts.push(text);
      this.ids.push(this.table.id(text));
      here.set(proto, n);
    }
    this.node = n;
  }

  /** The id (in the protocols table) of the chain stepped since `start`; 'frame' when empty. */
  id(): number {
    return this.node === 0 ? this.table.id('frame') : this.ids[this.node];
  }
}
