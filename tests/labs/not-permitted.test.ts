// Capture not permitted (the CLI bundle run as the unprivileged user nobody): `wirescope lab`
// without --tap says what to grant and suggests the tap; with --tap the lab runs and writes its
// capture all the same.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { captureMissing } from './support';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'wirescope-lab-nobody-'));
const hasNobody = spawnSync('id', ['-u', 'nobody']).status === 0;
const skip = captureMissing || (hasNobody ? '' : 'no user nobody on this machine');

beforeAll(() => {
  if (skip) return;
  chmodSync(dir, 0o777);
  const r = spawnSync(process.execPath, [join(root, 'scripts/build-cli.mjs'), '--outdir', dir, '--quiet'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`building the CLI failed: ${r.stderr}`);
  spawnSync('chmod', ['-R', 'a+rX', dir]);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function asNobody(args: string[]) {
  return spawnSync(process.execPath, [join(dir, 'wirescope.mjs'), 'lab', ...args], {
    encoding: 'utf8',
    uid: 65534,
    gid: 65534,
    cwd: dir,
    timeout: 60_000,
  });
}

describe.skipIf(!!skip)(`wirescope lab as nobody${skip ? ` (${skip})` : ''}`, () => {
  it('without --tap: not permitted, what to grant, the tap suggested, exit 1', () => {
    const r = asNobody(['websocket']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/live capture is not permitted here/);
    expect(r.stderr).toMatch(/setcap cap_net_raw,cap_net_admin=eip/);
    expect(r.stderr).toMatch(/add --tap/);
  });

  it('with --tap: the lab runs without privileges and writes its capture', () => {
    const file = join(dir, 'nobody.pcapng');
    const r = asNobody(['websocket', '--tap', '-w', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/✓ WebSocket lab finished/);
    if (tsharkMissing) return;
    const codes = tsharkFields(file, ['websocket.payload.close.status_code']).flat().filter(Boolean);
    expect(codes).toEqual(['1000', '1000']);
  });
});
