// Capture rights, found by trying: as root the helper may capture; as nobody it may not, and the
// message says what to grant; and following that advice (setcap on a copy of the helper) really
// grants it: nobody then captures on lo.
import { copyFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureHelper, locateHelper, runningHelpers, type HelperName } from './capture-helper';
import { checkAccess, installAdvice, permissionAdvice, TAP_OFFER } from './privileges';

const root = process.getuid?.() === 0;
const notRoot = root ? '' : 'not root: checking as another user needs root (as CI runs)';
const nobody = { uid: 65534, gid: 65534 };
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  expect(runningHelpers()).toBe(0);
});

describe('advice per OS', () => {
  const dumpcap = { name: 'dumpcap' as const, path: '/usr/bin/dumpcap' };
  const tcpdump = { name: 'tcpdump' as const, path: '/usr/sbin/tcpdump' };

  it('Linux: the wireshark group or setcap on the helper found', () => {
    const a = permissionAdvice(dumpcap, 'linux', 'alice');
    expect(a.message).toContain('wireshark group');
    expect(a.message).toContain('sudo usermod -aG wireshark alice');
    expect(a.message).toContain('sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/dumpcap');
    expect(a.grant).toContain('or: sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/dumpcap');
    expect(a.message.endsWith(TAP_OFFER)).toBe(true);
    expect(a.message).toContain('never runs privileged');
    const t = permissionAdvice(tcpdump, 'linux', 'alice');
    expect(t.grant[0]).toBe('sudo setcap cap_net_raw,cap_net_admin=eip /usr/sbin/tcpdump');
  });

  it("macOS: Wireshark's ChmodBPF and the access_bpf group; Windows: Npcap not restricted to administrators", () => {
    const m = permissionAdvice(dumpcap, 'darwin', 'alice');
    expect(m.message).toContain('ChmodBPF');
    expect(m.grant.join('\n')).toContain('/Library/Application Support/Wireshark/ChmodBPF');
    expect(m.grant.join('\n')).toContain('access_bpf');
    const w = permissionAdvice(dumpcap, 'win32', 'alice');
    expect(w.message).toContain('Npcap');
    expect(w.grant[0]).toContain('Restrict Npcap driver\'s access to Administrators only" unchecked');
    for (const a of [m, w]) expect(a.message.endsWith(TAP_OFFER)).toBe(true);
  });

  it('no helper: which package to install, and the tap', () => {
    const l = installAdvice('linux');
    expect(l.grant.length).toBe(2);
    expect(l.message).toMatch(/tshark|wireshark/);
    expect(l.message).toContain('tcpdump');
    expect(l.message.endsWith(TAP_OFFER)).toBe(true);
    expect(installAdvice('darwin').message).toContain('ChmodBPF');
    expect(installAdvice('win32').message).toContain('Npcap');
    expect(installAdvice('linux', 'tcpdump').grant).toHaveLength(1);
  });
});

describe.skipIf(!root)(`checkAccess, for real${root ? '' : ` (skipped: ${notRoot})`}`, () => {
  it('as root: permitted, with the interfaces', async () => {
    const a = await checkAccess({ fresh: true });
    expect(a.helper).not.toBeNull();
    expect(a).toMatchObject({ permitted: true, message: null, grant: [], tap: true });
    expect(a.interfaces.find((i) => i.name === 'lo')).toMatchObject({ loopback: true });
    // Plain contract objects (no helper-only fields leak to the renderer).
    expect(Object.keys(a.interfaces[0]).sort()).toEqual(['description', 'loopback', 'name']);
  });

  it('is cached briefly (a check costs spawns), unless asked fresh', async () => {
    const a = checkAccess();
    expect(checkAccess()).toBe(a);
    expect(checkAccess({ fresh: true })).not.toBe(a);
    await a;
  });

  for (const helper of ['dumpcap', 'tcpdump'] as HelperName[]) {
    const path = locateHelper(helper);
    it.skipIf(!path)(`as nobody with ${helper}: not permitted, and what to grant`, async () => {
      const a = await checkAccess({ prefer: helper, user: nobody, fresh: true });
      expect(a.helper).toBe(helper);
      expect(a.permitted).toBe(false);
      expect(a.message).toMatch(
        new RegExp(`^nobody may not capture with ${helper} \\(${helper} says: .*(permission|not permitted)`),
      );
      expect(a.message).toContain(`sudo setcap cap_net_raw,cap_net_admin=eip ${path}`);
      if (helper === 'dumpcap') {
        expect(a.message).toContain('wireshark group');
        expect(a.grant.some((g) => g.startsWith('sudo usermod -aG wireshark nobody'))).toBe(true);
      }
      expect(a.message).toContain(TAP_OFFER);
      // Listing needs no rights: the interfaces are still there to choose from.
      expect(a.interfaces.some((i) => i.name === 'lo')).toBe(true);
    });
  }

  const setcap = spawnSync('sh', ['-c', 'command -v setcap']).stdout.toString().trim();
  for (const helper of ['dumpcap', 'tcpdump'] as HelperName[]) {
    const path = locateHelper(helper);
    it.skipIf(!path || !setcap)(
      `following the advice works: setcap on a copy of ${helper}, and nobody captures${setcap ? '' : ' (skipped: setcap is not installed)'}`,
      async () => {
        const d = mkdtempSync(join(tmpdir(), 'wirescope-setcap-'));
        dirs.push(d);
        chmodSync(d, 0o755);
        const copy = join(d, helper);
        copyFileSync(path!, copy);
        chmodSync(copy, 0o755);
        const granted = permissionAdvice({ name: helper, path: copy }, 'linux', 'nobody').grant.find((g) =>
          g.includes('setcap'),
        )!;
        const cmd = granted.replace(/^or: /, '').replace(/^sudo /, '');
        expect(cmd).toBe(`setcap cap_net_raw,cap_net_admin=eip ${copy}`);
        const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr} (file capabilities unsupported on ${d}?)`);
        const savedPath = process.env.PATH;
        process.env.PATH = `${d}:${savedPath}`;
        try {
          const a = await checkAccess({ prefer: helper, user: nobody, fresh: true });
          expect(a).toMatchObject({ helper, permitted: true, message: null });
          expect(locateHelper(helper)).toBe(copy);
          const src = captureHelper({
            iface: 'lo',
            filter: 'tcp port 9',
            helper,
            user: nobody,
            durationS: 1,
          });
          expect(src.path).toBe(copy);
          let got = 0;
          let ended: (p: string | null) => void;
          const end = new Promise<string | null>((r2) => (ended = r2));
          await src.start({ data: (c) => void (got += c.length), end: (p) => ended(p) });
          expect(await end).toBeNull();
          // The file header at least: the capture really opened, as nobody.
          expect(got).toBeGreaterThanOrEqual(24);
        } finally {
          process.env.PATH = savedPath;
        }
      },
    );
  }
});
