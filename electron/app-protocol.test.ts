import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolResponse, CONTENT_SECURITY_POLICY, resolveAppFile } from './app-protocol';

let root = '';
let outside = '';

beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), 'wirescope-app-'));
  root = join(base, 'renderer');
  outside = join(base, 'secret.txt');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {};');
  writeFileSync(join(root, 'assets', 'a b.css'), 'body{}');
  writeFileSync(outside, 'not for the renderer');
});

afterAll(() => {
  if (root) rmSync(join(root, '..'), { recursive: true, force: true });
});

describe('resolveAppFile', () => {
  it('maps the origin root and bundle paths inside the root', () => {
    expect(resolveAppFile(root, 'app://wirescope/')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://wirescope')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://wirescope/assets/index-abc.js?v=1#x')).toBe(
      join(root, 'assets', 'index-abc.js'),
    );
    expect(resolveAppFile(root, 'app://wirescope/assets/a%20b.css')).toBe(join(root, 'assets', 'a b.css'));
  });

  it('refuses other schemes and hosts', () => {
    expect(resolveAppFile(root, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppFile(root, 'app://elsewhere/index.html')).toBeNull();
    expect(resolveAppFile(root, 'https://wirescope/index.html')).toBeNull();
    expect(resolveAppFile(root, 'not a url')).toBeNull();
  });

  it('refuses every way out of the root', () => {
    // The URL parser resolves ../ and %2e%2e/ itself (WHATWG URL, path state), so those land inside.
    expect(resolveAppFile(root, 'app://wirescope/../secret.txt')).toBe(join(root, 'secret.txt'));
    expect(resolveAppFile(root, 'app://wirescope/%2e%2e/secret.txt')).toBe(join(root, 'secret.txt'));
    // An encoded separator survives the parser and becomes a traversal only after decoding.
    for (const url of [
      'app://wirescope/%2E%2E%2Fsecret.txt',
      'app://wirescope/assets/..%2f..%2fsecret.txt',
      'app://wirescope/..%5csecret.txt',
      'app://wirescope/index.html%00.js',
      'app://wirescope/%E0%A4%A',
    ]) {
      expect(resolveAppFile(root, url), url).toBeNull();
    }
  });
});

describe('appProtocolResponse', () => {
  it('serves bundle files with the strict CSP and the right type', async () => {
    const res = await appProtocolResponse(root, 'app://wirescope/assets/index-abc.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('export {};');
  });

  it('has a policy without inline script, eval or remote sources', () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('answers 404 for missing or escaping paths and 405 for writes', async () => {
    expect((await appProtocolResponse(root, 'app://wirescope/nope.js')).status).toBe(404);
    expect((await appProtocolResponse(root, 'app://wirescope/..%2fsecret.txt')).status).toBe(404);
    expect((await appProtocolResponse(root, 'app://wirescope/assets')).status).toBe(404);
    expect((await appProtocolResponse(root, 'app://wirescope/index.html', 'POST')).status).toBe(405);
  });

  it('answers HEAD without a body', async () => {
    const res = await appProtocolResponse(root, 'app://wirescope/index.html', 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe('');
  });
});
