// Reads a lab's finished capture with the engine (the same pass `wirescope` runs) and keeps, per
// TCP or UDP frame, what the report counts. The tree is built so TCP analysis (retransmissions)
// is made, as in Wireshark; the labs' captures are a few hundred frames at most.
import { findItems } from '../../../shared/dissect/query';
import type { Dissection } from '../../../shared/dissect/types';
import { indexFile } from '../../backend/index-file';
import type { FrameFacts } from './report';

function num(d: Dissection, abbrev: string, occurrence: 'first' | 'last' = 'first'): number | null {
  const items = findItems(d, abbrev);
  const it = occurrence === 'first' ? items[0] : items[items.length - 1];
  if (!it) return null;
  const v = it.value;
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null;
}

function has(d: Dissection, abbrev: string): boolean {
  return findItems(d, abbrev).length > 0;
}

export async function captureFacts(path: string): Promise<FrameFacts[]> {
  const out: FrameFacts[] = [];
  await indexFile(path, {
    tree: true,
    onPacket: (p, i, d) => {
      const base = {
        frame: i + 1,
        timeMs: p.tsSec * 1000 + p.tsNsec / 1e6,
        len: p.origlen,
      };
      const tcpStream = num(d, 'tcp.stream');
      if (tcpStream !== null) {
        out.push({
          ...base,
          proto: 'tcp',
          stream: tcpStream,
          srcPort: num(d, 'tcp.srcport') ?? 0,
          dstPort: num(d, 'tcp.dstport') ?? 0,
          flags: num(d, 'tcp.flags') ?? 0,
          headerLen: num(d, 'tcp.hdr_len') ?? 0,
          payload: num(d, 'tcp.len') ?? 0,
          retransmission:
            has(d, 'tcp.analysis.retransmission') ||
            has(d, 'tcp.analysis.fast_retransmission') ||
            has(d, 'tcp.analysis.spurious_retransmission'),
        });
        return;
      }
      const udpStream = num(d, 'udp.stream');
      if (udpStream !== null) {
        const length = num(d, 'udp.length') ?? 8;
        out.push({
          ...base,
          proto: 'udp',
          stream: udpStream,
          srcPort: num(d, 'udp.srcport') ?? 0,
          dstPort: num(d, 'udp.dstport') ?? 0,
          flags: 0,
          headerLen: 8,
          payload: Math.max(0, length - 8),
          retransmission: false,
        });
      }
    },
  });
  return out;
}
