import { z } from 'zod';
import { defineRoute } from '../../http/route';

export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
}

const checkResult = z.object({
  status: z.enum(['ok', 'failing']),
  latencyMs: z.number(),
  error: z.string().optional(),
});
const healthView = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.record(z.string(), checkResult),
});

const CHECK_TIMEOUT_MS = 3000;

async function runCheck(check: HealthCheck): Promise<z.infer<typeof checkResult>> {
  const started = performance.now();
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: 'failing',
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

export function healthRoutes(checks: HealthCheck[]) {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'Reachability of the database and Temporal',
      tags: ['Operations'],
      roles: 'public',
      responses: {
        200: { description: 'Everything reachable', schema: healthView },
        503: { description: 'A dependency is unreachable', schema: healthView },
      },
      handler: async () => {
        const results = await Promise.all(
          checks.map(async (c) => [c.name, await runCheck(c)] as const),
        );
        const ok = results.every(([, r]) => r.status === 'ok');
        return {
          status: ok ? 200 : 503,
          body: { status: ok ? 'ok' : 'degraded', checks: Object.fromEntries(results) },
        };
      },
    }),
  ];
}
