// live.* verbs: capture helper access and interfaces, starting and stopping a live capture.
import { ApiFailure } from './backend';
import type { HandlersFor } from './handler-types';
import type { PageHost } from './page-host';

export function liveHandlers(host: PageHost): HandlersFor<'live.access' | 'live.start' | 'live.stop'> {
  return {
    'live.access': () => {
      throw new ApiFailure('unsupported', 'Live capture is not built yet.');
    },
    'live.start': () => {
      throw new ApiFailure('unsupported', 'Live capture is not built yet.');
    },
    'live.stop': ({ capture }) => host.stopLive(capture),
  };
}
