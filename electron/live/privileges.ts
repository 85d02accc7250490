// Whether this user may capture, found out by trying (a helper opening an interface), and if not
// exactly what to grant on this OS. The app never runs privileged: rights belong to the helper
// (dumpcap's capabilities or group, ChmodBPF's /dev/bpf*, Npcap's driver), as with Wireshark.
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { LiveAccess } from '../../shared/contract/api';
import { findHelper, helperMessage, runHelper, type FoundHelper, type HelperName } from './capture-helper';
import { parseDumpcapList, parseTcpdumpList, type HelperInterface } from './interfaces';

export const TAP_OFFER = 'Labs run without any privilege through the tap.';

export interface Advice {
  /** Plain words, ending with the tap offer. */
  message: string;
  /** The steps or commands, one each. */
  grant: string[];
}

function linuxFlavour(): 'debian' | 'fedora' | 'arch' | 'other' {
  if (existsSync('/etc/debian_version')) return 'debian';
  if (existsSync('/etc/fedora-release') || existsSync('/etc/redhat-release')) return 'fedora';
  if (existsSync('/etc/arch-release')) return 'arch';
  return 'other';
}

/** The login name for a uid (the grant commands name the user), from /etc/passwd. */
function userName(uid?: number): string {
  if (uid === undefined) {
    try {
      return userInfo().username;
    } catch {
      return '$USER';
    }
  }
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (Number(f[2]) === uid && f[0]) return f[0];
    }
  } catch {
    // No passwd file: name the variable instead.
  }
  return '$USER';
}

/** What to install when no helper (or not the one asked for) is there. */
export function installAdvice(platform: NodeJS.Platform, which?: HelperName): Advice {
  let grant: string[];
  if (platform === 'linux') {
    const flavour = linuxFlavour();
    const dumpcap =
      flavour === 'debian'
        ? 'sudo apt install tshark   (brings dumpcap, in wireshark-common)'
        : flavour === 'fedora'
          ? 'sudo dnf install wireshark-cli   (brings dumpcap)'
          : flavour === 'arch'
            ? 'sudo pacman -S wireshark-cli   (brings dumpcap)'
            : "install your distribution's tshark or wireshark-cli package (it brings dumpcap)";
    const tcpdump =
      flavour === 'debian'
        ? 'sudo apt install tcpdump'
        : flavour === 'fedora'
          ? 'sudo dnf install tcpdump'
          : flavour === 'arch'
            ? 'sudo pacman -S tcpdump'
            : "install your distribution's tcpdump package";
    grant = which === 'tcpdump' ? [tcpdump] : which === 'dumpcap' ? [dumpcap] : [dumpcap, tcpdump];
  } else if (platform === 'darwin') {
    grant = [
      'Install Wireshark (https://www.wireshark.org/download.html, or brew install --cask wireshark) together with its "Install ChmodBPF" package',
    ];
  } else if (platform === 'win32') {
    grant = ['Install Wireshark (https://www.wireshark.org/download.html) and let it install Npcap'];
  } else {
    grant = ["Install Wireshark's dumpcap or tcpdump"];
  }
  const what = which ?? 'dumpcap (Wireshark) or tcpdump';
  return {
    message: `Live capture needs ${what}: ${grant.join('; or ')}. ${TAP_OFFER}`,
    grant,
  };
}

/** The missing-helper text alone (what captureHelper throws with). */
export function missingHelperAdvice(platform: NodeJS.Platform, which?: HelperName): string {
  return installAdvice(platform, which).message;
}

/** What to grant so `helper` may capture on this OS, for `user`. */
export function permissionAdvice(helper: FoundHelper, platform: NodeJS.Platform, user = userName()): Advice {
  let grant: string[];
  let how: string;
  if (platform === 'linux') {
    const setcap = `sudo setcap cap_net_raw,cap_net_admin=eip ${helper.path}`;
    if (helper.name === 'dumpcap') {
      const group =
        linuxFlavour() === 'debian'
          ? [
              'sudo dpkg-reconfigure wireshark-common   (answer Yes: non-superusers may capture)',
              `sudo usermod -aG wireshark ${user}   (then log out and back in)`,
            ]
          : [`sudo usermod -aG wireshark ${user}   (then log out and back in)`];
      grant = [...group, `or: ${setcap}`];
      how =
        `On Linux, add ${user} to the wireshark group (${group.map((g) => g.replace(/ {3}.*$/, '')).join(', then ')}, then log out and back in), ` +
        `or give dumpcap the capture capabilities: ${setcap}.`;
    } else {
      grant = [setcap, "or install Wireshark's dumpcap and join the wireshark group"];
      how = `On Linux, give tcpdump the capture capabilities: ${setcap} (or install Wireshark's dumpcap and join the wireshark group).`;
    }
  } else if (platform === 'darwin') {
    grant = [
      'Install ChmodBPF: run "Install ChmodBPF.pkg" from the Wireshark disk image, or sudo "/Library/Application Support/Wireshark/ChmodBPF/ChmodBPF"',
      `sudo dseditgroup -o edit -a ${user} -t user access_bpf   (then log out and back in)`,
    ];
    how = `On macOS, install Wireshark's ChmodBPF (it opens /dev/bpf* to the access_bpf group) and make sure ${user} is in access_bpf, then log out and back in.`;
  } else if (platform === 'win32') {
    grant = [
      'Install Npcap (https://npcap.com, or from the Wireshark installer) with "Restrict Npcap driver\'s access to Administrators only" unchecked',
    ];
    how =
      'On Windows, install Npcap with "Restrict Npcap driver\'s access to Administrators only" unchecked.';
  } else {
    grant = [`Give ${helper.path} the rights to open capture devices`];
    how = `Give ${helper.path} the rights to open capture devices.`;
  }
  return {
    message: `${how} Wirescope itself never runs privileged. ${TAP_OFFER}`,
    grant,
  };
}

export interface AccessOptions {
  /** dumpcap is preferred; `tcpdump` to check that one first. */
  prefer?: HelperName;
  /** Check as another user (root only): how tests see the not-permitted path. */
  user?: { uid: number; gid: number };
  /** Skip the short cache. */
  fresh?: boolean;
}

function publicInterfaces(list: readonly HelperInterface[]): LiveAccess['interfaces'] {
  return list.map((i) => ({ name: i.name, description: i.description, loopback: i.loopback }));
}

/** The helper's interfaces with what choosing a default needs (CLI). */
export async function listInterfaces(
  helper: FoundHelper,
  user?: { uid: number; gid: number },
): Promise<{ list: HelperInterface[]; problem: string | null }> {
  const r = await runHelper(helper.path, helper.name === 'dumpcap' ? ['-D', '-M'] : ['-D'], { user });
  const list = helper.name === 'dumpcap' ? parseDumpcapList(r.stdout) : parseTcpdumpList(r.stdout);
  const problem =
    r.error ?? (r.code === 0 ? null : helperMessage(r.stderr, helper.name) || `exit code ${r.code}`);
  return { list, problem: list.length ? null : problem };
}

async function check(opts: AccessOptions): Promise<LiveAccess> {
  const platform = process.platform;
  const helper = findHelper(opts.prefer);
  if (!helper) {
    const a = installAdvice(platform);
    return {
      helper: null,
      permitted: false,
      message: `Neither dumpcap nor tcpdump is installed. ${a.message}`,
      grant: a.grant,
      interfaces: [],
      tap: true,
    };
  }
  const user = userName(opts.user?.uid);
  const { list, problem } = await listInterfaces(helper, opts.user);
  // Listing needs no rights on Linux; opening does. -L opens the interface (pcap_activate) to ask
  // its link types and exits: the cheapest real test, and it captures nothing.
  const probe = list.find((i) => i.loopback) ?? list[0];
  const probeName = probe?.name ?? (platform === 'darwin' ? 'lo0' : 'lo');
  const r = await runHelper(helper.path, ['-i', probeName, '-L'], { user: opts.user });
  if (r.code === 0 && !r.error) {
    return {
      helper: helper.name,
      permitted: true,
      message: null,
      grant: [],
      interfaces: publicInterfaces(list),
      tap: true,
    };
  }
  const said = (
    r.error ??
    (helperMessage(r.stderr, helper.name) || problem || `exit code ${r.code}`)
  ).replace(/\.$/, '');
  const denied =
    /permission|not permitted|EPERM|EACCES|access is denied|access denied|no interfaces found|npcap/i.test(
      said,
    );
  if (!denied) {
    return {
      helper: helper.name,
      permitted: false,
      message: `${helper.name} could not open "${probeName}" to check capture rights: ${said}. ${TAP_OFFER}`,
      grant: [],
      interfaces: publicInterfaces(list),
      tap: true,
    };
  }
  const a = permissionAdvice(helper, platform, user);
  const runAs = /EACCES/.test(said)
    ? `${user} may not run ${helper.path}`
    : `${user} may not capture with ${helper.name}`;
  return {
    helper: helper.name,
    permitted: false,
    message: `${runAs} (${helper.name} says: ${said}). ${a.message}`,
    grant: a.grant,
    interfaces: publicInterfaces(list),
    tap: true,
  };
}

const CACHE_MS = 5000;
const cache = new Map<string, { at: number; value: Promise<LiveAccess> }>();

/**
 * Whether live capture is possible here: the helper found, its interfaces, and a real open of
 * one. Cached for a few seconds (each check costs two spawns).
 */
export function checkAccess(opts: AccessOptions = {}): Promise<LiveAccess> {
  const key = JSON.stringify([opts.prefer ?? '', opts.user ?? null]);
  const hit = cache.get(key);
  if (!opts.fresh && hit && Date.now() - hit.at < CACHE_MS) return hit.value;
  const value = check(opts);
  cache.set(key, { at: Date.now(), value });
  value.catch(() => cache.delete(key));
  return value;
}
