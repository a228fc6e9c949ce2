import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api';

/** Whether a failed request may be worth one more try: a lost connection or a server fault, never a refusal. */
function worthRetrying(failures: number, error: unknown): boolean {
  if (failures >= 1) return false;
  return !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
}

/**
 * The portal's cache of what the API returned. Money and statuses change behind the page
 * (a month closes, a manager decides), so data counts as fresh only briefly, is fetched
 * again when the person comes back to the tab, and every action refreshes what is shown.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: worthRetrying,
      },
      mutations: { retry: false },
    },
  });
}

export const queryClient = createQueryClient();
