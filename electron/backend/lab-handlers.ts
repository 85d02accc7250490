// lab.* and samples.* verbs: the labs (real servers and clients, captured live or through the tap)
// and the sample captures they made.
import { ApiFailure } from './backend';
import type { HandlersFor } from './handler-types';
import type { PageHost } from './page-host';

export function labHandlers(
  host: PageHost,
): HandlersFor<'lab.start' | 'lab.act' | 'lab.stop' | 'samples.list' | 'samples.open'> {
  void host;
  const missing = () => {
    throw new ApiFailure('unsupported', 'Labs are not built yet.');
  };
  return {
    'lab.start': missing,
    'lab.act': missing,
    'lab.stop': missing,
    'samples.list': () => [],
    'samples.open': missing,
  };
}
