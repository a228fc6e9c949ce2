import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The response check that every integration test runs through (test/support/contract-check.ts)
 * must fail a test whose API breaks its document. A small API here serves a document and
 * answers that keep to it and answers that don't.
 */
describe('the integration tests’ response check', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    const app = express();
    app.use((_req, res, next) => {
      res.setHeader('X-Request-Id', 'test');
      next();
    });
    const money = { type: 'string', pattern: '^-?\\d+\\.\\d{2}$' };
    app.get('/openapi.json', (_req, res) => {
      res.json({
        openapi: '3.1.0',
        info: { title: 't', version: '1' },
        paths: {
          '/v1/invoices/{id}': {
            get: {
              responses: {
                '200': {
                  description: 'An invoice',
                  content: {
                    'application/json': {
                      schema: {
                        type: 'object',
                        required: ['number', 'total'],
                        properties: { number: { type: 'string' }, total: money },
                      },
                    },
                  },
                },
                '404': {
                  description: 'None',
                  content: { 'application/problem+json': { schema: { type: 'object' } } },
                },
              },
            },
          },
        },
      });
    });
    app.get('/v1/invoices/good', (_req, res) => res.json({ number: 'INV-1', total: '10.00' }));
    app.get('/v1/invoices/money-as-number', (_req, res) =>
      res.json({ number: 'INV-2', total: 10 }),
    );
    app.get('/v1/invoices/teapot', (_req, res) => res.status(418).json({}));
    app.get('/v1/invoices/html', (_req, res) => res.type('html').send('<p>10.00</p>'));
    app.post('/v1/invoices/good', (_req, res) => res.status(200).json({}));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('lets a documented answer through', async () => {
    const res = await fetch(`${origin}/v1/invoices/good`);
    expect(await res.json()).toEqual({ number: 'INV-1', total: '10.00' });
  });

  it.each([
    ['money-as-number', /\/total must be string/],
    ['teapot', /→ 418: status not documented/],
    ['html', /content type text\/html not documented/],
  ])('fails the test when the API answers %s', async (id, message) => {
    await expect(fetch(`${origin}/v1/invoices/${id}`)).rejects.toThrow(message);
  });

  it('leaves alone a server that is not the API (no X-Request-Id), and never asks it for a document', async () => {
    const other = express();
    const asked: string[] = [];
    other.use((req, res) => {
      asked.push(req.path);
      res.status(418).json({ total: 10 });
    });
    const otherServer = await new Promise<Server>((resolve) => {
      const s = other.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const port = (otherServer.address() as AddressInfo).port;
      expect((await fetch(`http://127.0.0.1:${port}/v1/invoices/x`)).status).toBe(418);
      expect(asked).toEqual(['/v1/invoices/x']);
    } finally {
      await new Promise((resolve) => otherServer.close(resolve));
    }
  });

  it('fails the test when a method the path lacks answers anything but 405', async () => {
    await expect(fetch(`${origin}/v1/invoices/good`, { method: 'POST' })).rejects.toThrow(
      /the path has no POST, so the answer must be 405/,
    );
  });
});
