// The rooms of DESIGN.md ("Processes and rooms"), checked over the whole source tree: only
// electron/main.ts and electron/preload.ts import electron; shared/ uses no Node built-ins and
// imports nothing outside itself; renderer/ reaches the backend only through the bridge. ESLint
// says the same per file; this test also catches files a lint config forgot to cover.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './build-app';

const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', 'coverage', '.git', '.vite']);
const SOURCE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;
// Vite and electron-vite write a bundled copy of their config next to it while loading it
// (`vite.config.ts.timestamp-….mjs`, `electron.vite.config.ts.<time>-<hex>.mjs`) and delete it at
// once; a parallel build must not make this test read a file that is gone a moment later.
const TRANSIENT = /\.config\.[cm]?[jt]s\.(?:timestamp-)?[\d]+-[0-9a-f]+\.mjs$/;

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) found.push(...sourceFiles(join(dir, e.name)));
    } else if (e.isFile() && SOURCE.test(e.name) && !e.name.endsWith('.d.ts') && !TRANSIENT.test(e.name)) {
      found.push(join(dir, e.name));
    }
  }
  return found;
}

const files = sourceFiles(repoRoot).map((abs) => ({
  abs,
  rel: relative(repoRoot, abs).split(sep).join('/'),
}));

function imports(abs: string): string[] {
  return ts.preProcessFile(readFileSync(abs, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

const isNodeBuiltin = (m: string) => m.startsWith('node:') || builtinModules.includes(m.split('/')[0]);
const isElectron = (m: string) => m === 'electron' || m.startsWith('electron/');
const isTest = (rel: string) => /\.test\.tsx?$/.test(rel);

// Node's globals, which tsconfig.shared.json (no Node types) also rejects at typecheck time.
const NODE_GLOBALS = new Set([
  'Buffer',
  'process',
  'require',
  '__dirname',
  '__filename',
  'global',
  'setImmediate',
]);

function nodeGlobalsUsed(abs: string): string[] {
  const source = ts.createSourceFile(abs, readFileSync(abs, 'utf8'), ts.ScriptTarget.Latest, true);
  const used: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const p = node.parent;
      const isMemberName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        ((ts.isPropertyAssignment(p) ||
          ts.isPropertySignature(p) ||
          ts.isPropertyDeclaration(p) ||
          ts.isMethodDeclaration(p) ||
          ts.isMethodSignature(p)) &&
          p.name === node);
      if (!isMemberName) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        used.push(`${node.text} (line ${line + 1})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return used;
}

/**
 * Packages the engine may use: pure JavaScript, no Node built-ins, no DOM, each run in Node, the
 * worker and Chromium alike (docs/decisions/shared-dependencies.md says why each one).
 */
const SHARED_PACKAGES = ['fflate', 'brotli', '@noble/hashes', '@noble/ciphers', 'protobufjs'];

/** The npm package an import names (bare, or a path into node_modules); null for project files. */
function packageOf(m: string, from: string): string | null {
  let spec = m;
  if (m.startsWith('.')) {
    const rel = relative(repoRoot, resolve(dirname(from), m))
      .split('\\')
      .join('/');
    if (!rel.startsWith('node_modules/')) return null;
    spec = rel.slice('node_modules/'.length);
  }
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe('rooms', () => {
  it('finds the source tree', () => {
    const rels = files.map((f) => f.rel);
    expect(rels).toContain('electron/main.ts');
    expect(rels).toContain('electron/preload.ts');
    expect(rels.some((r) => r.startsWith('shared/'))).toBe(true);
  });

  it('only electron/main.ts and electron/preload.ts import electron', () => {
    const importers = files.filter((f) => imports(f.abs).some(isElectron)).map((f) => f.rel);
    expect(importers.sort()).toEqual(['electron/main.ts', 'electron/preload.ts']);
  });

  it('shared/ imports no Node built-in and nothing outside shared/ but the allowed pure-JS packages', () => {
    const sharedRoot = join(repoRoot, 'shared');
    const problems: string[] = [];
    for (const f of files.filter((f) => f.rel.startsWith('shared/') && !isTest(f.rel))) {
      for (const m of imports(f.abs)) {
        const pkg = packageOf(m, f.abs);
        if (isNodeBuiltin(m) || isElectron(m)) problems.push(`${f.rel}: imports ${m}`);
        else if (pkg !== null) {
          if (!SHARED_PACKAGES.includes(pkg)) problems.push(`${f.rel}: imports package ${m}`);
        } else if (relative(sharedRoot, resolve(dirname(f.abs), m)).startsWith('..')) {
          problems.push(`${f.rel}: imports ${m}, outside shared/`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('shared/ uses no Node globals', () => {
    const problems = files
      .filter((f) => f.rel.startsWith('shared/') && !isTest(f.rel))
      .flatMap((f) => nodeGlobalsUsed(f.abs).map((g) => `${f.rel}: ${g}`));
    expect(problems).toEqual([]);
  });

  it('renderer/ imports nothing from electron/ and no Node built-in', () => {
    const electronRoot = join(repoRoot, 'electron');
    const problems: string[] = [];
    for (const f of files.filter((f) => f.rel.startsWith('renderer/') && !isTest(f.rel))) {
      for (const m of imports(f.abs)) {
        if (isNodeBuiltin(m) || isElectron(m)) problems.push(`${f.rel}: imports ${m}`);
        else if (m.startsWith('.') && !relative(electronRoot, resolve(dirname(f.abs), m)).startsWith('..')) {
          problems.push(`${f.rel}: imports ${m} from electron/`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
