import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, leanTransport, loadTransport, request } from '../../src/kustomer-client/transport';

/** The client loads two of undici's modules by path (src/kustomer-client/transport.ts): an upgrade that moves them fails here. */
describe('undici transport', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-seen': String(req.headers['x-probe']) });
        res.end(JSON.stringify({ method: req.method, url: req.url, body }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('the two modules load from where the client looks (else it falls back to the whole package)', () => {
    expect(leanTransport).toBe(true);
  });

  test('a request goes to the origin and path given, with method, headers and body, and answers status, headers and body', async () => {
    const agent = new Agent({ connections: 2 });
    try {
      const res = await request(agent, origin, '/v1/customers?page=2', { method: 'POST', headers: { 'x-probe': 'yes' }, body: '{"a":1}' });
      expect(res.statusCode).toBe(201);
      expect(res.headers['x-seen']).toBe('yes');
      expect(await res.body.json()).toEqual({ method: 'POST', url: '/v1/customers?page=2', body: '{"a":1}' });
    } finally {
      await agent.close();
    }
  });

  test('if an undici release moves those modules, the whole package serves the same requests', async () => {
    const moved = (id: string): unknown => {
      if (id.startsWith('undici/lib/')) throw new Error(`Cannot find module '${id}'`);
      return require(id);
    };
    const fallback = loadTransport(moved);
    expect(fallback.lean).toBe(false);
    const agent = new fallback.Agent({ connections: 2 });
    try {
      const res = await fallback.send(agent, origin, '/v1/customers?page=3', { method: 'GET', headers: { 'x-probe': 'fallback' } });
      expect(res.statusCode).toBe(201);
      expect(res.headers['x-seen']).toBe('fallback');
      expect(await res.body.json()).toEqual({ method: 'GET', url: '/v1/customers?page=3', body: '' });
    } finally {
      await agent.close();
    }
  });
});
