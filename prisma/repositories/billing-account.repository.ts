import type { BankDetails, BillingAccountFacts, Contact } from '../../domain/onboarding';
import type { CompanyCard } from '../../domain/company';
import { DomainError } from '../../domain/errors';
import type { Database } from '../client';

export interface BillingAccountRecord extends BillingAccountFacts {
  name: string;
  status: 'trial' | 'paid';
  verificationStatus: 'not_requested' | 'pending' | 'approved' | 'rejected';
  inn: string | null;
  legalName: string | null;
  grantBalance: string;
}

export interface NewBillingAccount {
  /** Idempotency key from business identity: one account per application. */
  creationKey: string;
  id: string;
  organizationId: string;
  applicationId: string;
  name: string;
  type: 'business' | 'individual_entrepreneur';
  company: CompanyCard;
  contact: Contact;
  bankDetails: BankDetails | null;
}

type Row = Awaited<ReturnType<Database['billingAccount']['findUniqueOrThrow']>>;

function toRecord(row: Row): BillingAccountRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    type: row.type,
    ownerResident: row.ownerResident,
    paymentMethod: row.paymentMethod,
    lockedByApplication: row.lockedByApplication,
    bankDetails:
      row.bik && row.settlementAccount ? { bik: row.bik, account: row.settlementAccount } : null,
    status: row.status,
    verificationStatus: row.verificationStatus,
    inn: row.inn,
    legalName: row.legalName,
    grantBalance: row.grantBalance.toFixed(2),
  };
}

/** Billing accounts as onboarding uses them. Writes are idempotent by business key. */
export function createBillingAccountRepository(db: Database) {
  return {
    async findById(id: string): Promise<BillingAccountRecord | null> {
      const row = await db.billingAccount.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },

    async listForOrganization(organizationId: string): Promise<BillingAccountRecord[]> {
      const rows = await db.billingAccount.findMany({
        where: { organizationId },
        orderBy: { createdAt: 'asc' },
      });
      return rows.map(toRecord);
    },

    /**
     * Ties the account to the application for good (SPEC §1.3: once chosen it cannot be
     * changed). A repeat for the same application is a no-op; another application is refused.
     */
    async lock(id: string, applicationId: string): Promise<void> {
      const updated = await db.billingAccount.updateMany({
        where: { id, OR: [{ lockedByApplication: null }, { lockedByApplication: applicationId }] },
        data: { lockedByApplication: applicationId },
      });
      if (updated.count === 0) {
        throw new DomainError(
          'conflict',
          `Billing account ${id} is already used by another application`,
          [],
          { reason: 'billing_account_in_use', params: { billingAccountId: id } },
        );
      }
    },

    /** Creates the applicant's new account, or updates it when the applicant corrects it. */
    async submit(account: NewBillingAccount): Promise<BillingAccountRecord> {
      const data = {
        name: account.name,
        type: account.type,
        inn: account.company.inn,
        kpp: account.company.kpp,
        ogrn: account.company.ogrn,
        legalName: account.company.name,
        legalAddress: account.company.address,
        contactName: account.contact.name,
        contactEmail: account.contact.email,
        contactPhone: account.contact.phone,
        bik: account.bankDetails?.bik ?? null,
        settlementAccount: account.bankDetails?.account ?? null,
        verificationStatus: 'pending' as const,
        verificationReason: null,
      };
      const row = await db.billingAccount.upsert({
        where: { creationKey: account.creationKey },
        create: {
          ...data,
          id: account.id,
          creationKey: account.creationKey,
          organizationId: account.organizationId,
          country: 'RU',
          ownerResident: true,
          paymentMethod: 'invoice',
          status: 'trial',
          lockedByApplication: account.applicationId,
        },
        update: data,
      });
      return toRecord(row);
    },

    async recordVerification(
      id: string,
      result: 'approved' | 'rejected',
      reason: string | null,
    ): Promise<void> {
      await db.billingAccount.update({
        where: { id },
        data: { verificationStatus: result, verificationReason: reason },
      });
    },

    /** Trial → paid. Grants stay as they are and nothing is charged (SPEC §1.5). */
    async upgradeToPaid(id: string, at: Date): Promise<BillingAccountRecord> {
      await db.billingAccount.updateMany({
        where: { id, status: 'trial' },
        data: { status: 'paid', upgradedAt: at },
      });
      return toRecord(await db.billingAccount.findUniqueOrThrow({ where: { id } }));
    },
  };
}

export type BillingAccountRepository = ReturnType<typeof createBillingAccountRepository>;
