// How `wirescope messages` prints a message: one readable line, or one JSON object a line. The
// threads of a parallel pass format their messages with these too (electron/backend/message-share.ts).
import type { Message } from '../../shared/messages/messages';

/** One readable line (see electron/cli/messages.ts). */
export function messageLine(m: Message): string {
  const who = `${m.fromRole} ${m.from.text} \u2192 ${m.toRole} ${m.to.text}`;
  let line = `${String(m.frame).padStart(5)} ${m.relative.padStart(10)}  ${m.stream}  ${who}  ${m.protocol}  ${m.label}`;
  if (m.substream) line += `  (${m.substream})`;
  if (m.frames.length > 1) line += `  [frames ${m.frames.join(',')}]`;
  return line;
}

export function messageJson(m: Message): string {
  return JSON.stringify(m);
}

/**
 * A formatted message cut around its conversation's name (`tcp:3`), which a share of a parallel
 * pass cannot know (shared/messages/merge.ts puts the capture's number in).
 */
export function aroundStream(text: string, m: Message, json: boolean): [string, string] {
  const marked = json ? `"stream":${JSON.stringify(m.stream)}` : `  ${m.stream}  `;
  const at = text.indexOf(marked) + marked.indexOf(m.stream);
  return [text.slice(0, at), text.slice(at + m.stream.length)];
}
