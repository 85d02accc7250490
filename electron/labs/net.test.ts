import { createServer, type Server } from 'node:net';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { bindFree, LAB_HOST, listenFree, pause } from './net';

const servers: Server[] = [];
const sockets: Socket[] = [];
afterAll(async () => {
  for (const s of sockets) s.close();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('lab ports', () => {
  it('port already taken → another free port (TCP)', async () => {
    const holder = createServer();
    servers.push(holder);
    const taken = await listenFree(holder, 0);
    const second = createServer();
    servers.push(second);
    const port = await listenFree(second, taken);
    expect(port).not.toBe(taken);
    expect(port).toBeGreaterThan(0);
    const a = second.address();
    expect(typeof a === 'object' && a?.address).toBe(LAB_HOST);
  });

  it('the preferred port is used when it is free', async () => {
    const probe = createServer();
    const free = await listenFree(probe, 0);
    await new Promise((r) => probe.close(r));
    const s = createServer();
    servers.push(s);
    expect(await listenFree(s, free)).toBe(free);
  });

  it('port already taken → another free port (UDP)', async () => {
    const first = await bindFree(() => createSocket('udp4'));
    sockets.push(first.socket);
    const second = await bindFree(() => createSocket('udp4'), first.port);
    sockets.push(second.socket);
    expect(second.port).not.toBe(first.port);
  });

  it('a pause ends at once when the lab is stopped', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const p = pause(10_000, ac.signal);
    setTimeout(() => ac.abort(), 20);
    await p;
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
