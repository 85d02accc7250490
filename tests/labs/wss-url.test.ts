// The WebSocket lab pointed at a wss:// URL, through the tap: the TLS goes over the relay, yet
// the server sees the URL's host as the TLS server name (SNI) and in the Host header, and the
// certificate is checked against it. A local HTTPS server with a throwaway certificate stands in
// for a public echo server (traffic stays on loopback); the CLI runs as a child process so the
// certificate can be trusted through NODE_EXTRA_CA_CERTS.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { tsharkFields, tsharkMissing } from '../support/tshark';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'wirescope-wss-lab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openssl = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;

describe.skipIf(!openssl)(
  `wss:// URL through the tap${openssl ? '' : ' (openssl missing: no certificate to test with)'}`,
  () => {
    it('TLS over the relay keeps the URL’s host as server name and Host header; the lab completes', async () => {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      const made = spawnSync('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
      ]);
      expect(made.status).toBe(0);
      const seen: { sni: string[]; host: string[] } = { sni: [], host: [] };
      const https = createServer({ key: readFileSync(key), cert: readFileSync(cert) });
      https.on('secureConnection', (s: TLSSocket) =>
        seen.sni.push(String((s as TLSSocket & { servername?: string }).servername)),
      );
      const wss = new WebSocketServer({ server: https, path: '/echo' });
      wss.on('connection', (ws, req) => {
        seen.host.push(String(req.headers.host));
        ws.on('message', (d, binary) => ws.send(d, { binary }));
      });
      await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
      const port = (https.address() as { port: number }).port;
      try {
        const file = join(dir, 'wss.pcapng');
        // A child process, not spawnSync: this process must keep serving the handshake meanwhile.
        const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((res) => {
          const child = spawn(
            process.execPath,
            [
              '--import',
              'tsx',
              join(root, 'electron/cli.ts'),
              'lab',
              'websocket',
              '--url',
              `wss://localhost:${port}/echo`,
              '--tap',
              '--messages',
              '1',
              '-w',
              file,
            ],
            { cwd: root, env: { ...process.env, NODE_EXTRA_CA_CERTS: cert } },
          );
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d) => (stdout += String(d)));
          child.stderr.on('data', (d) => (stderr += String(d)));
          const t = setTimeout(() => child.kill('SIGKILL'), 50_000);
          child.on('close', (status) => {
            clearTimeout(t);
            res({ status, stdout, stderr });
          });
        });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/TLS handshake with localhost/);
        expect(r.stdout).toMatch(/client ← text “Hello, WebSocket! \(message 1\)”/);
        expect(seen.sni).toEqual(['localhost']);
        expect(seen.host).toEqual([`localhost:${port}`]);
        if (tsharkMissing) return;
        // The capture shows TLS records, starting with a Client Hello naming localhost.
        const sni = tsharkFields(file, ['tls.handshake.extensions_server_name']).flat().filter(Boolean);
        expect(sni).toEqual(['localhost']);
      } finally {
        wss.close();
        https.closeAllConnections();
        await new Promise((r) => https.close(r));
      }
    }, 60_000);
  },
);
