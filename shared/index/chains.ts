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
  /** Per node, the protocol last stepped from it and where it led: most packets repeat the
   * previous chain, and a string comparison is cheaper than a map lookup. */
  private readonly lastProto: string[] = [''];
  private readonly lastNext: number[] = [0];

  constructor(private readonly table: StringTable) {}

  start(): void {
    this.node = 0;
  }

  step(proto: string): void {
    if (proto === 'frame') return;
    const node = this.node;
    if (this.lastProto[node] === proto) {
      this.node = this.lastNext[node];
      return;
    }
    const here = this.next[node];
    let n = here.get(proto);
    if (n === undefined) {
      n = this.next.length;
      const text = node === 0 ? proto : `${this.texts[node]}:${proto}`;
      this.next.push(new Map());
      this.texts.push(text);
      this.ids.push(this.table.id(text));
      this.lastProto.push('');
      this.lastNext.push(0);
      here.set(proto, n);
    }
    this.lastProto[node] = proto;
    this.lastNext[node] = n;
    this.node = n;
  }

  /** The id (in the protocols table) of the chain stepped since `start`; 'frame' when empty. */
  id(): number {
    return this.node === 0 ? this.table.id('frame') : this.ids[this.node];
  }
}
