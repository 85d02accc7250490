// capture.export / export.read: pcapng of a capture, chosen conversations or a filter's packets.
import { ApiFailure } from './backend';
import type { HandlersFor } from './handler-types';
import type { PageHost } from './page-host';

export function exportHandlers(host: PageHost): HandlersFor<'capture.export' | 'export.read'> {
  void host;
  const missing = () => {
    throw new ApiFailure('unsupported', 'Export is not built yet.');
  };
  return { 'capture.export': missing, 'export.read': missing };
}
