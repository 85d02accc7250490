// What the store needs from the backend client (renderer/api's WirescopeApi has this shape): the
// contract's calls and events, opening a File (desktop by path, serve mode by upload) and the
// connection state. Declared here so the store depends on the contract, not on a transport.
import type { ApiClient, CaptureInfo, Shell } from '../../shared/contract/api';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface OpenFileOptions {
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

export interface Backend extends ApiClient {
  readonly shell: Shell;
  readonly connection: ConnectionState;
  openFile(file: File, opts?: OpenFileOptions): Promise<CaptureInfo>;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}
