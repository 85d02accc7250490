// live.* verbs: capture helper access and interfaces, starting and stopping a live capture. The
// rights are checked (by the helper opening an interface) before a capture is offered or started;
// when missing, the refusal says what to grant on this OS and offers the tap.
import type { LiveAccess } from '../../shared/contract/api';
import { captureHelper } from '../live/capture-helper';
import { interfaceLabel } from '../live/interfaces';
import { checkAccess } from '../live/privileges';
import { ApiFailure } from './backend';
import type { HandlersFor } from './handler-types';
import type { PageHost } from './page-host';

export function liveHandlers(
  host: PageHost,
  /** How rights are checked (tests check as another user). */
  check: () => Promise<LiveAccess> = () => checkAccess(),
): HandlersFor<'live.access' | 'live.start' | 'live.stop'> {
  return {
    'live.access': () => check(),
    'live.start': async ({ iface, filter }) => {
      const access = await check();
      if (!access.helper)
        throw new ApiFailure('unsupported', access.message ?? 'No capture helper is installed.');
      if (!access.permitted)
        throw new ApiFailure('forbidden', access.message ?? `${access.helper} may not capture here.`);
      if (access.interfaces.length && !access.interfaces.some((i) => i.name === iface)) {
        const names = access.interfaces.map((i) => i.name).join(', ');
        throw new ApiFailure(
          'bad-input',
          `There is no interface "${iface}" to capture on (${access.helper} lists ${names}).`,
        );
      }
      const label = interfaceLabel(iface, access.interfaces);
      const source = captureHelper({ iface, filter: filter ?? '', helper: access.helper, label });
      try {
        return await host.openLive(source, label, {
          mode: 'capture',
          iface,
          filter: filter ?? '',
          helper: source.helper,
        });
      } catch (e) {
        // openLive reports every failed start as 'forbidden'; a bad filter or interface is the
        // caller's input, not a missing right.
        if (
          e instanceof ApiFailure &&
          /^The capture filter |there is no such interface|the interface is down/.test(e.message)
        )
          throw new ApiFailure('bad-input', e.message);
        throw e;
      }
    },
    'live.stop': ({ capture }) => host.stopLive(capture),
  };
}
