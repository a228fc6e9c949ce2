import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import type { Principal } from '../../api';
import { useT } from '../../i18n';
import { NotFound, PerId, type NavItem } from '../../routing';
import { ApplicationDetail, ApplicationList } from './Applications';
import { ManagerInvoice, PartnerDetail, PartnerList } from './Partners';
import { PresaleRequestPage } from './PresaleDesk';
import { RegistrationReview } from './RegistrationReview';
import { ReviewQueue } from './ReviewQueue';
import { SpecializationReview } from './SpecializationReview';

const home: NavItem = { path: 'manager', label: 'reviewQueue' };

export const managerNav: NavItem[] = [
  home,
  { path: 'manager/applications', label: 'mc_applications' },
  { path: 'manager/partners', label: 'partners' },
];

/** The managers' console: the review queue, applications, partners and what they review. */
export function ManagerConsole({ principal }: { principal: Principal }) {
  const t = useT();
  const queue = <ReviewQueue area="manager" title={t('reviewQueue')} />;
  /** A page about one item ("…/:id"), started afresh for each item. */
  const item = (page: ReactNode) => <PerId>{page}</PerId>;
  return (
    <Routes>
      <Route index element={queue} />
      <Route path="applications" element={<ApplicationList />} />
      <Route path="applications/:id" element={item(<ApplicationDetail />)} />
      <Route path="registrations" element={queue} />
      <Route path="registrations/:id" element={item(<RegistrationReview />)} />
      <Route path="specializations" element={queue} />
      <Route path="specializations/:id" element={item(<SpecializationReview />)} />
      <Route path="presales" element={queue} />
      <Route
        path="presales/:id"
        element={item(<PresaleRequestPage area="manager" principal={principal} />)}
      />
      <Route path="partners" element={<PartnerList />} />
      <Route path="partners/:id/:tab?" element={item(<PartnerDetail />)} />
      <Route path="invoices" element={<PartnerList />} />
      <Route path="invoices/:id" element={item(<ManagerInvoice />)} />
      <Route path="*" element={<NotFound home={home} />} />
    </Routes>
  );
}
