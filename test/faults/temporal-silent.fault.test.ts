import net from 'node:net';
import { createTokenService } from '../../api/http/auth';
import { startApi, type RunningApi } from '../../api/server';
import { testConfig } from '../support/env';
import { apiClient } from '../support/fixtures';

/**
 * A Temporal address where something accepts the connection and then never says a word (a
 * hung frontend, a black-holing proxy). The API must not hang with it: routes that need
 * Temporal answer 503 once the call bound passes, routes that don't answer as usual.
 */
describe('a Temporal that accepts connections and never answers', () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let api: RunningApi;
  const call = apiClient(() => api.url);
  const base = testConfig();
  const callTimeoutMs = 1_000;

  beforeAll(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    api = await startApi(
      {
        ...base,
        temporal: { ...base.temporal, address: `127.0.0.1:${port}`, callTimeoutMs },
      },
      { port: 0 },
    );
  });

  afterAll(async () => {
    await api?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  // Without the bounds the request hangs past this test's timeout.
  it('answers 503 naming Temporal, and reads from PostgreSQL still 200', async () => {
    const token = await createTokenService(base.auth).issue({
      subject: 'user-silent',
      role: 'partner',
      organizationId: 'org-silent',
    });
    const res = await call<{ status: number; detail: string }>('POST', '/v1/applications', token, {
      identityMethod: 'new_id',
    });
    expect(res.status).toBe(503);
    expect(res.body.detail).toMatch(/Temporal/);
    expect((await call('GET', '/v1/applications', token)).status).toBe(200);
  }, 20_000);
});
