// The renderer bundle is served from a custom app:// origin instead of file:// (Electron security
// checklist, item "Use a custom protocol instead of file://"): file:// pages may read any file the
// user can, and a custom origin lets every response carry a strict CSP header. Plain Node so the
// path checks run under vitest, and so `serve` mode can reuse the same policy.
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'wirescope';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

// No inline script or style, no eval, no remote anything. React and d3 set styles through the CSSOM
// (element.style), which style-src does not govern, so 'self' stylesheets are enough.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps `app://wirescope/<path>` to a file under `root`, or null when the URL is not ours or would
 * leave `root` (`..`, encoded `%2e%2e`, backslashes, NUL). `/` is the index page.
 */
export function resolveAppFile(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  return resolveUnder(root, path);
}

/**
 * Maps a decoded URL path to a file under `root`, or null when it would leave `root` (`..`,
 * backslashes, NUL). `/` is the index page. Shared by app:// and serve mode's HTTP server.
 */
export function resolveUnder(root: string, path: string): string | null {
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path === '' || path === '/') path = '/index.html';
  const base = resolve(root);
  const file = resolve(join(base, path));
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return file;
}

export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': contentTypeOf(file),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** The whole app:// handler: GET/HEAD of bundle files only; everything else is refused. */
export async function appProtocolResponse(root: string, url: string, method = 'GET'): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD') return new Response(null, { status: 405 });
  const file = resolveAppFile(root, url);
  if (!file) return new Response(null, { status: 404 });
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readFile(file);
  } catch {
    return new Response(null, { status: 404 });
  }
  return new Response(method === 'HEAD' ? null : body, { status: 200, headers: appResponseHeaders(file) });
}
