import { ApiError, type Principal } from '../../api';
import { useT, type MessageKey } from '../../i18n';
import { ErrorBox } from '../../ui';
import { ApplicationDetail, ApplicationList } from './Applications';
import { ManagerInvoice, PartnerDetail, PartnerList } from './Partners';
import { PresaleRequestPage } from './PresaleDesk';
import { RegistrationReview } from './RegistrationReview';
import { ReviewQueue } from './ReviewQueue';
import { SpecializationReview } from './SpecializationReview';

export const managerNav: { path: string; label: MessageKey }[] = [
  { path: 'manager', label: 'reviewQueue' },
  { path: 'manager/applications', label: 'mc_applications' },
  { path: 'manager/partners', label: 'partners' },
];

/** The managers' console: the review queue, applications, partners and what they review. */
export function ManagerConsole({ route, principal }: { route: string[]; principal: Principal }) {
  const t = useT();
  const [page, id, section] = route;
  const queue = <ReviewQueue area="manager" title={t('reviewQueue')} />;
  switch (page) {
    case undefined:
      return queue;
    case 'applications':
      return id ? <ApplicationDetail key={id} id={id} /> : <ApplicationList />;
    case 'registrations':
      return id ? <RegistrationReview key={id} id={id} /> : queue;
    case 'specializations':
      return id ? <SpecializationReview key={id} id={id} /> : queue;
    case 'presales':
      return id ? (
        <PresaleRequestPage key={id} id={id} area="manager" principal={principal} />
      ) : (
        queue
      );
    case 'partners':
      return id ? <PartnerDetail key={id} id={id} tab={section} /> : <PartnerList />;
    case 'invoices':
      return id ? <ManagerInvoice key={id} id={id} /> : <PartnerList />;
    default:
      return <ErrorBox error={new ApiError(404, page)} />;
  }
}
