// The index pass proper over a capture file, in the calling thread: link to transport layers
// only, through the indexer's fast path (docs/decisions/index-pass-split.md). `wirescope info`
// runs it. A module of its own, apart from index-file.ts, so that what runs it loads the
// transport dissectors and none of the application ones.
import { Session } from '../../shared/dissect/packet';
import { createTransportEngine } from '../../shared/dissectors/transport';
import { Indexer, type CaptureSummary } from '../../shared/index/indexer';
import { PacketIndex } from '../../shared/index/packet-index';
import { readCaptureFile } from '../files/capture-file';

export interface TransportIndex {
  index: PacketIndex;
  session: Session;
  summary: CaptureSummary;
}

/** Reads the whole file once through the index pass. Rejects with the reader's errors. */
export async function indexTransport(
  path: string,
  opts: { onProgress?: (bytes: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<TransportIndex> {
  const session = new Session();
  const indexer = new Indexer(createTransportEngine(), session, new PacketIndex());
  await readCaptureFile(path, indexer.transportSink(), opts);
  return { index: indexer.index, session, summary: indexer.finish() };
}
