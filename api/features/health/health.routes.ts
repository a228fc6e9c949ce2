import { z } from 'zod';
import { defineRoute } from '../../http/route';

export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
}

const checkResult = z.object({
  status: z.enum(['ok', 'failing']),
  latencyMs: z.number().describe('How long the check took (up to the time limit when failing)'),
});
const healthView = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z
    .record(z.string(), checkResult)
    .describe('One entry per dependency: `database` (PostgreSQL) and `temporal`'),
});

/**
 * A check gets this long; the whole /healthz answers well within the API's 2 s promise.
 * Checks run side by side.
 */
export const CHECK_TIMEOUT_MS = 1_500;

type CheckResult = z.infer<typeof checkResult>;

async function runCheck(
  check: HealthCheck,
  log: (name: string, error: unknown) => void,
): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // What failed, and how, is for operators reading the server log: the public answer
    // carries no addresses and no driver messages.
    log(check.name, error);
    return { status: 'failing', latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(
  checks: HealthCheck[],
  log: (name: string, error: unknown) => void = () => undefined,
) {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'Reachability of the database and Temporal',
      tags: ['Operations'],
      roles: 'public',
      usesDependencies: false,
      responses: {
        200: { description: 'Everything reachable', schema: healthView },
        503: { description: 'A dependency is unreachable', schema: healthView },
      },
      handler: async () => {
        const results = await Promise.all(
          checks.map(async (c) => [c.name, await runCheck(c, log)] as const),
        );
        const ok = results.every(([, r]) => r.status === 'ok');
        const checksView = Object.fromEntries(results);
        const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
        if (ok) {
          return {
            status: 200 as const,
            body: { status: 'ok' as const, checks: checksView },
            headers,
          };
        }
        return {
          status: 503 as const,
          body: { status: 'degraded' as const, checks: checksView },
          // Polled, never cached; a hint when to look again.
          headers: { ...headers, 'Retry-After': '5' },
        };
      },
    }),
  ];
}
