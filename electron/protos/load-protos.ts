// .proto files from disk for the schema registry (shared/ reads no files): the project's protos/
// folder and any folders the user adds. Each file is named relative to its folder, as an import
// statement names it (`google/type/date.proto`), so imports between files resolve.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../shared/dissect/engine';
import type { ProtoFile, ProtoRegistry } from '../../shared/protobuf/registry';
import { useProtos } from '../../shared/protobuf/use-protos';

/**
 * The project's own protos/ folder (protos/user.proto): the nearest `protos` folder above this
 * module, which finds it from the sources (electron/protos/) and from a bundle (out/cli/).
 */
export const PROJECT_PROTOS = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'protos');
    if (existsSync(join(candidate, 'user.proto'))) return candidate;
    dir = dirname(dir);
  }
  // A packaged app ships protos/ as an extra resource (electron-builder.yml), outside the asar.
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(join(packaged, 'protos', 'user.proto'))) return join(packaged, 'protos');
  return fileURLToPath(new URL('../../protos', import.meta.url));
})();

/** User-added proto folders from the environment: WIRESCOPE_PROTOS, a path list (`:` on POSIX). */
export function envProtoFolders(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.WIRESCOPE_PROTOS ?? '').split(delimiter).filter((d) => d.length > 0);
}

/**
 * The hook for whoever creates an engine (CLI, index worker): gRPC and protobuf decode with the
 * project's protos/, the user's folders (WIRESCOPE_PROTOS) and `extra`. Folders or files that
 * cannot be read or parsed are left out; the registry's `errors` and the `problems` say which.
 */
export function useProjectProtos(
  engine: Engine,
  extra: readonly string[] = [],
): ProtoRegistry & { problems: string[] } {
  const load = loadProtoFoldersReporting([PROJECT_PROTOS, ...envProtoFolders(), ...extra]);
  return Object.assign(useProtos(engine, load.files), { problems: load.problems });
}

export interface ProtoLoad {
  files: ProtoFile[];
  /** Folders or files that could not be read, with why. */
  problems: string[];
}

/**
 * Every `*.proto` under each folder (recursively; hidden folders and node_modules skipped), in a
 * stable order. A folder that does not exist or cannot be read is reported, not thrown.
 */
export function loadProtoFolders(dirs: readonly string[]): ProtoFile[] {
  return loadProtoFoldersReporting(dirs).files;
}

export function loadProtoFoldersReporting(dirs: readonly string[]): ProtoLoad {
  const files: ProtoFile[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    let st;
    try {
      st = statSync(dir);
    } catch (e) {
      problems.push(`${dir}: ${(e as Error).message}`);
      continue;
    }
    if (!st.isDirectory()) {
      problems.push(`${dir}: not a folder`);
      continue;
    }
    const walk = (d: string, depth: number): void => {
      if (depth > 16) return;
      let names: string[];
      try {
        names = readdirSync(d).sort();
      } catch (e) {
        problems.push(`${d}: ${(e as Error).message}`);
        return;
      }
      for (const n of names) {
        if (n.startsWith('.') || n === 'node_modules') continue;
        const full = join(d, n);
        let s;
        try {
          s = statSync(full);
        } catch {
          continue;
        }
        if (s.isDirectory()) walk(full, depth + 1);
        else if (n.endsWith('.proto') && s.size <= 4 * 1024 * 1024) {
          const name = relative(dir, full).split(sep).join('/');
          // The first folder given wins for a name two folders both have.
          if (seen.has(name)) continue;
          try {
            files.push({ name, text: readFileSync(full, 'utf8') });
            seen.add(name);
          } catch (e) {
            problems.push(`${full}: ${(e as Error).message}`);
          }
        }
      }
    };
    walk(dir, 0);
  }
  return { files, problems };
}
