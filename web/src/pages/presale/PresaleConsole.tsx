import { Route, Routes } from 'react-router';
import type { Principal } from '../../api';
import { useT } from '../../i18n';
import { NotFound, PerId, type NavItem } from '../../routing';
import { PresaleRequestPage } from '../manager/PresaleDesk';
import { ReviewQueue } from '../manager/ReviewQueue';

const home: NavItem = { path: 'presale', label: 'presaleDesk' };

export const presaleNav: NavItem[] = [home];

/** Presale staff: the partners' requests, nearest first-answer deadline first, and each one. */
export function PresaleConsole({ principal }: { principal: Principal }) {
  const t = useT();
  return (
    <Routes>
      <Route
        index
        element={<ReviewQueue area="presale" kinds={['presale']} title={t('presaleDesk')} />}
      />
      <Route
        path="presales/:id"
        element={
          <PerId>
            <PresaleRequestPage area="presale" principal={principal} />
          </PerId>
        }
      />
      <Route path="*" element={<NotFound home={home} />} />
    </Routes>
  );
}
