// The desktop bundle as electron-vite builds it, checked without the Electron binary: the preload
// must run as ONE sandboxed CommonJS script, main may only load what the packaged app contains, and
// the page must be loadable under the strict CSP (no inline script or style, nothing remote).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { runInNewContext, Script } from 'node:vm';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, VERBS } from '../../shared/contract/api';
import type { DesktopBridge } from '../../shared/contract/bridge';
import { buildDesktopApp, repoRoot } from './build-app';

// Electron's sandboxed preload gets a `require` that knows only these (Electron docs, "Process
// Sandboxing": "A require function similar to Node's require module is exposed, but can only
// import a subset of Electron and Node's built-in modules").
const SANDBOX_PRELOAD_MODULES = new Set(['electron', 'events', 'timers', 'url']);

let dir = '';

beforeAll(async () => {
  dir = await buildDesktopApp();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function filesUnder(path: string): string[] {
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(path.length + 1));
}

/** Every module specifier the code loads: static imports, re-exports, require() and import(). */
function specifiers(code: string): string[] {
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

describe('preload bundle', () => {
  it('is a single file', () => {
    expect(filesUnder(join(dir, 'preload'))).toEqual(['preload.cjs']);
  });

  it('is a CommonJS script (no import/export) requiring only what a sandboxed preload may', () => {
    const code = readFileSync(join(dir, 'preload', 'preload.cjs'), 'utf8');
    // A classic script: an ES module's import/export would be a SyntaxError here.
    expect(() => new Script(code, { filename: 'preload.cjs' })).not.toThrow();
    const loaded = specifiers(code);
    expect(loaded.length).toBeGreaterThan(0);
    for (const m of loaded) expect(SANDBOX_PRELOAD_MODULES, `preload requires ${m}`).toContain(m);
  });

  it('runs with only the sandbox require and exposes the contract as functions, never ipcRenderer', async () => {
    const code = readFileSync(join(dir, 'preload', 'preload.cjs'), 'utf8');
    const required: string[] = [];
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    const ipcListeners: Record<string, (...a: unknown[]) => void> = {};
    const ipcRenderer = {
      invoke: (...a: unknown[]) => {
        invoked.push(a);
        return Promise.resolve({ ok: true, value: 'answer' });
      },
      on: (channel: string, fn: (...a: unknown[]) => void) => (ipcListeners[channel] = fn),
    };
    const sandboxRequire = (name: string): unknown => {
      required.push(name);
      if (name === 'electron') {
        return {
          contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
          ipcRenderer,
          webUtils: { getPathForFile: (f: { path?: string }) => f.path ?? '' },
        };
      }
      if (SANDBOX_PRELOAD_MODULES.has(name)) return {};
      throw new Error(`module not found: ${name}`);
    };
    const module = { exports: {} };
    runInNewContext(code, {
      require: sandboxRequire,
      module,
      exports: module.exports,
      process: { versions: { electron: '45.4.1', chrome: '142.0.0.0' } },
      console,
    });
    expect(required).toEqual(['electron']);
    const bridge = exposed.wirescope as DesktopBridge;
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual(['api', 'on', 'openDroppedFile', 'shell', 'versions']);
    expect(bridge.shell).toBe('electron');
    expect(bridge.versions).toEqual({ electron: '45.4.1', chrome: '142.0.0.0' });
    // Exactly the contract's verbs (the dropped-file verb only through openDroppedFile), each a function.
    expect(Object.keys(bridge.api).sort()).toEqual(VERBS.filter((v) => v !== 'capture.openDropped').sort());
    expect(Object.keys(bridge.on).sort()).toEqual([...EVENT_NAMES].sort());
    expect(Object.values(bridge).some((v) => v === ipcRenderer)).toBe(false);
    expect(await bridge.api['packets.rows']!({ capture: 'c1', from: 0, count: 1 })).toEqual({
      ok: true,
      value: 'answer',
    });
    expect(invoked.at(-1)).toEqual(['wirescope:packets.rows', { capture: 'c1', from: 0, count: 1 }]);
    // A File the page made has no path: no IPC, the caller uploads it instead.
    expect(await bridge.openDroppedFile({})).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(invoked).toHaveLength(1);
    await bridge.openDroppedFile({ path: '/captures/a.pcap' });
    expect(invoked.at(-1)).toEqual(['wirescope:capture.openDropped', { path: '/captures/a.pcap' }]);
    // Subscriptions hear only their event, and unsubscribe.
    const heard: unknown[] = [];
    const off = bridge.on['capture.progress']!((p) => heard.push(p));
    ipcListeners['wirescope:event']({}, 'capture.progress', { capture: 'c1' });
    ipcListeners['wirescope:event']({}, 'capture.closed', { capture: 'c1' });
    off();
    ipcListeners['wirescope:event']({}, 'capture.progress', { capture: 'c2' });
    expect(heard).toEqual([{ capture: 'c1' }]);
    expect(() => bridge.on['capture.closed']!('not a function' as never)).toThrow(/needs a function/);
  });
});

describe('main bundle', () => {
  it('loads only electron, Node built-ins and packaged dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    // devDependencies are not in the packaged app: main must not need one at run time.
    const packaged = new Set(Object.keys(pkg.dependencies ?? {}));
    const builtins = new Set(builtinModules);
    const code = readFileSync(join(dir, 'main', 'main.js'), 'utf8');
    const files = new Set(filesUnder(join(dir, 'main')));
    const loaded = specifiers(code);
    expect(loaded).toContain('electron');
    for (const m of loaded) {
      const bare = m.replace(/^node:/, '');
      const pkgName = m.startsWith('@') ? m.split('/').slice(0, 2).join('/') : m.split('/')[0];
      const chunk = m.startsWith('./') && files.has(m.slice(2));
      const ok = m === 'electron' || builtins.has(bare) || packaged.has(pkgName) || chunk;
      expect(ok, `main.js loads ${m}`).toBe(true);
    }
  });

  it('contains the engine inline rather than importing shared/ at run time', () => {
    // main.js and the index worker beside it may share chunks of the bundle; nothing else relative.
    const files = new Set(filesUnder(join(dir, 'main')));
    for (const entry of ['main.js', 'index-worker.mjs']) {
      const code = readFileSync(join(dir, 'main', entry), 'utf8');
      for (const m of specifiers(code)) {
        expect(m).not.toMatch(/shared\//);
        if (m.startsWith('.')) expect(files, `${entry} loads ${m}`).toContain(m.replace(/^\.\//, ''));
      }
    }
  });

  it('has the index worker beside main.js, as capture-index.ts looks for it', () => {
    expect(filesUnder(join(dir, 'main'))).toContain('index-worker.mjs');
  });
});

describe('renderer bundle', () => {
  it('has an index page with no inline script or style and nothing remote', () => {
    const html = readFileSync(join(dir, 'renderer', 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\.\/assets\/[^"]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('references only files that exist in the bundle', () => {
    const html = readFileSync(join(dir, 'renderer', 'index.html'), 'utf8');
    const files = new Set(filesUnder(join(dir, 'renderer')));
    const refs = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(files, ref).toContain(ref);
  });
});
