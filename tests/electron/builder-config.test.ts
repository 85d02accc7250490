// electron-builder.yml checked offline with electron-builder's own loader and JSON-schema validator
// (the same calls `electron-builder` makes before packaging). app-builder-lib is electron-builder's
// implementation package, pinned by it to the same version.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './build-app';

const require = createRequire(import.meta.url);

type Config = Record<string, unknown> & {
  electronFuses?: Record<string, boolean>;
  fileAssociations?: { ext: string | string[]; mimeType?: string }[];
  files?: (string | { filter?: string[] })[];
};
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig: (projectDir: string, configPath: string | null, fromOptions: null) => Promise<Config>;
  validateConfiguration: (config: Config, logger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const load = () => getConfig(repoRoot, null, null);

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation', async () => {
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is really validated: an unknown key is rejected', async () => {
    const config = { ...(await load()), notAnOption: true };
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/notAnOption/);
  });

  it('locks the fuses down', async () => {
    expect((await load()).electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });

  it('associates .pcap, .pcapng and .cap, and targets linux, mac and win', async () => {
    const config = await load();
    expect((config.fileAssociations ?? []).flatMap((a) => a.ext)).toEqual(['pcap', 'pcapng', 'cap']);
    for (const os of ['linux', 'mac', 'win'])
      expect(config[os], os).toMatchObject({ target: expect.any(Array) });
  });

  it('ships the electron-vite output that package.json main points into', async () => {
    const config = await load();
    const pkg = require('../../package.json') as { main: string };
    expect(pkg.main).toBe('out/main/main.js');
    // getConfig normalises `files` into file sets ({ filter: [...] }).
    const patterns = (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
    expect(patterns).toEqual(
      expect.arrayContaining(['package.json', 'out/main/**', 'out/preload/**', 'out/renderer/**']),
    );
  });
});
