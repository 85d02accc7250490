// What every live source gives the backend: the bytes of a capture stream (pcap or pcapng, file
// header first) as they arrive, and an end. The capture helper (dumpcap/tcpdump writing `-w -`)
// and the tap (the labs' relayed sockets written as reconstructed packets) are both LiveSources,
// so a live capture and a lab go through the same reader, index worker and views as a file.

export interface LiveSink {
  /** Capture-stream bytes in order, starting with the file header. The sink may keep the chunk. */
  data(chunk: Uint8Array): void;
  /**
   * The source ended, once: `problem` null when stopped on request (or the helper finished its
   * own count/duration), else why it stopped on its own in plain words (helper died, exited
   * early, with its stderr). Everything delivered before stays.
   */
  end(problem: string | null): void;
}

export interface LiveSource {
  /** What the views call it ("Loopback: lo", "tap"). */
  readonly label: string;
  /**
   * Starts delivering to `sink`. Resolves once packets are being captured (the helper has said it
   * is listening: traffic sent after this is seen); rejects with a plain-words Error if it cannot
   * start (not permitted, no such interface, bad filter), after which the sink gets nothing more.
   */
  start(sink: LiveSink): Promise<void>;
  /** Stops cleanly; resolves after `sink.end` was called. Safe to call twice or after an end. */
  stop(): Promise<void>;
}
