import type { PresaleRepository } from '../prisma/repositories/presale.repository';

export interface PresaleActivityDeps {
  presales: PresaleRepository;
}

/** Database side effects of a presale request's workflow. */
export function createPresaleActivities(deps: PresaleActivityDeps) {
  return {
    /**
     * Marks the request escalated, once and only while no first answer is stored: an answer
     * that raced the deadline wins. Returns whether this call escalated it.
     */
    async recordPresaleEscalation(input: {
      requestId: string;
      at: string;
    }): Promise<{ escalated: boolean }> {
      return {
        escalated: await deps.presales.recordEscalation(input.requestId, new Date(input.at)),
      };
    },
  };
}

export type PresaleActivities = ReturnType<typeof createPresaleActivities>;
