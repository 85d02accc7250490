// Which frames and captures the tap made: its packets carry a pcapng comment (TAP_COMMENT), which
// the engine shows as `frame.comment` items; a live capture says so in its info.
import { isTapComment } from '../../../shared/capture/tap-comment';
import type { CaptureInfo } from '../../../shared/contract/api';
import type { Dissection, Item } from '../../../shared/dissect/types';

export function isTapDissection(d: Dissection): boolean {
  const frame = d.layers[0];
  if (!frame) return false;
  const walk = (items: readonly Item[]): boolean =>
    items.some(
      (it) =>
        (it.abbrev === 'frame.comment' && typeof it.value === 'string' && isTapComment(it.value)) ||
        (!!it.children && walk(it.children)),
    );
  return walk(frame.items);
}

export function isTapCapture(info: CaptureInfo | undefined, tapSeen: boolean): boolean {
  return info?.live?.mode === 'tap' || tapSeen;
}
