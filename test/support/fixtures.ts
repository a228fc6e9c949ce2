import { randomUUID } from 'node:crypto';
import type { Database } from '../../prisma/client';

/**
 * Partners made directly in the test database, for tests of what happens after onboarding.
 * Each gets its own account and customer subaccounts, and a program membership over the
 * period the test needs, so closes of other months (run by other test files in the same
 * database) never include it.
 */
export interface PartnerFixture {
  partnerId: string;
  organizationId: string;
  ownAccountId: string;
  customerIds: string[];
}

export async function createPartner(
  db: Database,
  options: {
    tag: string;
    name: string;
    customers?: number;
    memberSince: string;
    memberUntil?: string;
    program?: 'var' | 'referral';
    paymentModel?: 'advance' | 'postpaid';
    billingThreshold?: string;
  },
): Promise<PartnerFixture> {
  const organizationId = `org-${options.tag}`;
  const ownAccountId = `own-${options.tag}`;
  const customerIds = Array.from(
    { length: options.customers ?? 1 },
    (_, i) => `cust-${options.tag}-${i + 1}`,
  );
  const account = (id: string, parentId: string | null) => ({
    id,
    organizationId,
    name: id,
    type: 'business' as const,
    ownerResident: true,
    paymentMethod: 'invoice' as const,
    parentId,
  });
  await db.billingAccount.createMany({
    data: [account(ownAccountId, null), ...customerIds.map((id) => account(id, ownAccountId))],
  });
  const since = new Date(`${options.memberSince}T00:00:00Z`);
  const until = options.memberUntil ? new Date(`${options.memberUntil}T00:00:00Z`) : null;
  const partnerId = randomUUID();
  await db.partner.create({
    data: {
      id: partnerId,
      organizationId,
      applicationId: randomUUID(),
      name: options.name,
      billingAccountId: ownAccountId,
      taxationType: 'general_with_vat',
      startDate: since,
      approvedBy: 'user-maria',
      paymentModel: options.paymentModel ?? 'postpaid',
      billingThreshold: options.billingThreshold ?? null,
      memberships: {
        create: [{ program: options.program ?? 'var', startDate: since, endDate: until }],
      },
    },
  });
  return { partnerId, organizationId, ownAccountId, customerIds };
}

/** One consumption line of compute, written straight to the database. */
export async function consumeLine(
  db: Database,
  line: { sourceId: string; accountId: string; date: string; amount: string; grants?: string },
): Promise<void> {
  await db.consumptionLine.create({
    data: {
      sourceId: line.sourceId,
      billingAccountId: line.accountId,
      cloudId: `cloud-${line.accountId}`,
      folderId: `folder-${line.accountId}`,
      serviceId: 'compute',
      sku: 'compute.vcpu',
      usageDate: new Date(`${line.date}T00:00:00Z`),
      amount: line.amount,
      grantAmount: line.grants ?? '0',
    },
  });
}

/** JSON calls to the API under test, with a bearer token. */
export function apiClient(baseUrl: () => string) {
  return async function call<T>(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : undefined) as T,
      headers: res.headers,
    };
  };
}
