import { ApiError, type Principal } from '../../api';
import { useT, type MessageKey } from '../../i18n';
import { ErrorBox } from '../../ui';
import { PresaleRequestPage } from '../manager/PresaleDesk';
import { ReviewQueue } from '../manager/ReviewQueue';

export const presaleNav: { path: string; label: MessageKey }[] = [
  { path: 'presale', label: 'presaleDesk' },
];

/** Presale staff: the partners' requests, nearest first-answer deadline first, and each one. */
export function PresaleConsole({ route, principal }: { route: string[]; principal: Principal }) {
  const t = useT();
  const [page, id] = route;
  if (page === undefined) {
    return <ReviewQueue area="presale" kinds={['presale']} title={t('presaleDesk')} />;
  }
  if (page === 'presales' && id) {
    return <PresaleRequestPage key={id} id={id} area="presale" principal={principal} />;
  }
  return <ErrorBox error={new ApiError(404, page)} />;
}
