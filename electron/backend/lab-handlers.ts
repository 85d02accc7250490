// lab.* and samples.* verbs: the labs (real servers and clients, captured live or through the tap)
// and the sample captures they made.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabInfo, LiveAccess, SampleInfo } from '../../shared/contract/api';
import { checkLabUrl, createLab, type Lab, type LabSources } from '../labs/lab';
import { realSources } from '../labs/sources';
import { textScript } from '../labs/websocket/lab';
import { checkAccess } from '../live/privileges';
import { ApiFailure } from './backend';
import type { HandlersFor } from './handler-types';
import type { PageHost } from './page-host';

/** Labs one page may run at once (each holds servers, sockets and a capture). */
export const MAX_LABS_PER_PAGE = 4;

/**
 * resources/samples: the nearest `resources/samples/index.json` above this module, which finds
 * it from the sources (electron/backend/) and from the bundles (out/main/, out/serve/, out/cli/),
 * as load-protos.ts finds protos/; a packaged app has it under process.resourcesPath.
 */
export function samplesFolder(from = dirname(fileURLToPath(import.meta.url))): string | null {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'resources', 'samples');
    if (existsSync(join(candidate, 'index.json'))) return candidate;
    dir = dirname(dir);
  }
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged) {
    for (const candidate of [join(packaged, 'samples'), join(packaged, 'resources', 'samples')])
      if (existsSync(join(candidate, 'index.json'))) return candidate;
  }
  return null;
}

/** The samples index.json lists, keeping only well-formed entries whose file is there. */
export function readSamples(folder: string | null = samplesFolder()): SampleInfo[] {
  if (!folder) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(folder, 'index.json'), 'utf8'));
  } catch {
    return [];
  }
  const list = Array.isArray(raw) ? raw : (raw as { samples?: unknown })?.samples;
  if (!Array.isArray(list)) return [];
  const out: SampleInfo[] = [];
  for (const e of list) {
    const s = e as Partial<SampleInfo>;
    if (typeof s.name !== 'string' || typeof s.title !== 'string' || typeof s.description !== 'string')
      continue;
    // A plain file name in the folder, never a path.
    if (!/^[\w.-]+\.(pcapng|pcap)$/.test(s.name) || s.name.startsWith('.')) continue;
    if (!existsSync(join(folder, s.name))) continue;
    out.push({ name: s.name, title: s.title, description: s.description });
  }
  return out;
}

export interface LabHandlerOptions {
  sources?: LabSources;
  access?: () => Promise<LiveAccess>;
  samples?: string | null;
}

let nextLab = 1;

export function labHandlers(
  host: PageHost,
  opts: LabHandlerOptions = {},
): HandlersFor<'lab.start' | 'lab.act' | 'lab.stop' | 'samples.list' | 'samples.open'> {
  const labs = new Map<string, Lab>();
  /** Labs of this page that ended by themselves: stopping one again is not an error. */
  const ended = new Set<string>();
  const sources = opts.sources ?? realSources;
  const access = opts.access ?? (() => checkAccess());
  const folder = () => (opts.samples !== undefined ? opts.samples : samplesFolder());

  host.onDispose(async () => {
    const all = [...labs.values()];
    labs.clear();
    await Promise.all(all.map((l) => l.stop()));
  });

  const lab = (id: string): Lab => {
    const l = labs.get(id);
    if (!l)
      throw new ApiFailure(
        'not-found',
        ended.has(id)
          ? `Lab ${id} has ended: start it again.`
          : `No running lab ${id} (it was stopped, or never started here).`,
      );
    return l;
  };

  return {
    'lab.start': async (start) => {
      if (start.url !== undefined) {
        if (start.lab !== 'websocket')
          throw new ApiFailure(
            'bad-input',
            'The TCP vs UDP lab runs between local sockets: it takes no URL.',
          );
        const bad = checkLabUrl(start.url);
        if (bad) throw new ApiFailure('bad-input', bad);
      }
      if (labs.size >= MAX_LABS_PER_PAGE)
        throw new ApiFailure('forbidden', `At most ${MAX_LABS_PER_PAGE} labs run at a time: stop one first.`);
      if (start.mode === 'capture') {
        const a = await access();
        if (!a.permitted) {
          const grant = a.grant.length ? ` To allow it: ${a.grant.join('; ')}.` : '';
          throw new ApiFailure(
            'forbidden',
            `Live capture is not permitted here. ${a.message ?? ''}${grant} Or use the tap: it needs no privileges.`.replace(
              /\s+/g,
              ' ',
            ),
          );
        }
      }
      const id = `lab-${nextLab++}`;
      let captureId = '';
      let l: Lab;
      try {
        l = await createLab(start, {
          id,
          sources,
          // WebSocket: `messages` texts go out by themselves after the handshake; the page sends the rest.
          script: start.lab === 'websocket' && start.messages ? textScript(start.messages) : undefined,
          emit: (e) => host.emit('lab.event', e),
          captureFile: async () => {
            const c = host.capture(captureId);
            await c.index.done;
            return c.path;
          },
        });
      } catch (e) {
        throw new ApiFailure('bad-input', e instanceof Error ? e.message : String(e));
      }
      let info;
      try {
        info = await host.openLive(l.source, l.name, l.live);
      } catch (e) {
        await l.stop();
        throw e;
      }
      captureId = info.id;
      labs.set(id, l);
      // The page gets lab.start's answer (the lab id) before the lab's first event.
      setTimeout(() => {
        void l.run().then(() => {
          if (labs.get(id) !== l) return;
          labs.delete(id);
          ended.add(id);
        });
      }, 0);
      const result: LabInfo = { lab: id, kind: l.kind, mode: l.mode, capture: info, target: l.target };
      return result;
    },
    'lab.act': async ({ lab: id, ...action }) => {
      const l = lab(id);
      if (l.kind !== 'websocket')
        throw new ApiFailure('bad-input', 'The TCP vs UDP lab runs by itself: there is nothing to send.');
      try {
        await l.act(action);
      } catch (e) {
        throw new ApiFailure('bad-input', e instanceof Error ? e.message : String(e));
      }
    },
    'lab.stop': async ({ lab: id }) => {
      if (ended.has(id)) return;
      const l = lab(id);
      labs.delete(id);
      await l.stop();
    },
    'samples.list': () => readSamples(folder()),
    'samples.open': ({ name }) => {
      const dir = folder();
      const sample = readSamples(dir).find((s) => s.name === name);
      if (!dir || !sample)
        throw new ApiFailure('not-found', `No sample named “${name}”: samples.list says which there are.`);
      return host.openPath(join(dir, sample.name), 'sample');
    },
  };
}
