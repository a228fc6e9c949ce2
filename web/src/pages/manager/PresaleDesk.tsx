import { Link } from 'react-router';
import { useRouteId } from '../../routing';
import { useState } from 'react';
import {
  api,
  type Partner,
  type PresaleDetail,
  type PresaleStatus,
  type Principal,
} from '../../api';
import { useT } from '../../i18n';
import { Card, ErrorBox, Field, Loading, formatDateTime, useAction, useGet } from '../../ui';
import { DecisionTrail, detailList, fullRow } from './DecisionTrail';

type Move = 'assign' | 'in_progress' | 'done' | 'declined';

/**
 * The moves offered from a status (the API holds the rule and answers 409 naming the allowed
 * moves if the request changed meanwhile): new → assigned → in progress → done, handing over
 * to oneself while assigned or in progress, and declining with a reason until it is closed.
 */
function movesFrom(status: PresaleStatus, assignee: string | null, me: string): Move[] {
  const takeOver: Move[] = assignee === me ? [] : ['assign'];
  switch (status) {
    case 'new':
      return ['assign', 'declined'];
    case 'assigned':
      return [...takeOver, 'in_progress', 'declined'];
    case 'in_progress':
      return [...takeOver, 'done', 'declined'];
    default:
      return [];
  }
}

const MOVE_LABEL: Record<Move, string> = {
  assign: 'assignToMe',
  in_progress: 'startWork',
  done: 'markDone',
  declined: 'decline',
};

/** A presale request for staff: details, status history, comments and the next moves. */
export function PresaleRequestPage({ area, principal }: { area: string; principal: Principal }) {
  const id = useRouteId();
  const t = useT();
  const request = useGet<PresaleDetail>(`/v1/presale-requests/${id}`);
  const partnerId = request.data?.partnerId;
  // Managers see partners' names; presale staff know the request by its organization.
  const partner = useGet<Partner>(`/v1/partners/${partnerId}`, {
    enabled: partnerId !== undefined && principal.role === 'manager',
  });
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const move = useAction();
  const post = useAction();
  if (request.loading && !request.data) return <Loading />;
  if (!request.data) return <ErrorBox error={request.error} />;
  const r = request.data;
  const moves = movesFrom(r.status, r.assignee, principal.subject);
  const closed = moves.length === 0;

  const doMove = (m: Move) =>
    void move.run(async () => {
      await api.post(
        `/v1/presale-requests/${r.id}/status`,
        m === 'assign'
          ? { status: 'assigned', assignee: principal.subject }
          : m === 'declined'
            ? { status: 'declined', reason: reason.trim() }
            : { status: m },
      );
      setReason('');
    });

  return (
    <div className="grid">
      <Card title={t('presaleRequest')} testId="presale-request">
        <p className="status">
          <span data-testid="presale-status">{t(`st_${r.status}`)}</span>
          {r.escalatedAt && <span className="badge danger">{t('escalated')}</span>}
        </p>
        <dl style={detailList}>
          <dt>{t('topic')}</dt>
          <dd data-testid="presale-topic">{r.topic}</dd>
          <dt>{t('partnerName')}</dt>
          <dd>
            {partner.data ? (
              <Link to={`/manager/partners/${r.partnerId}`}>{partner.data.name}</Link>
            ) : (
              r.organizationId
            )}
          </dd>
          <dt>{t('customerOrProject')}</dt>
          <dd>
            {r.customerAccountId ? `${t('customer')}: ${r.customerAccountId}` : null}
            {r.projectId ? `${t('kind_project')}: ${r.projectId}` : null}
          </dd>
          <dt>{t('desiredDate')}</dt>
          <dd>{r.desiredDate}</dd>
          <dt>{t('firstAnswerBy')}</dt>
          <dd>
            {formatDateTime(r.slaDeadline)}
            {r.firstAnsweredAt && (
              <span className="muted">
                {' '}
                · {t('answeredAt')} {formatDateTime(r.firstAnsweredAt)}
              </span>
            )}
          </dd>
          <dt>{t('assignee')}</dt>
          <dd data-testid="presale-assignee">{r.assignee ?? '—'}</dd>
          <dt>{t('submitted')}</dt>
          <dd>
            {formatDateTime(r.createdAt)} · {r.createdBy}
          </dd>
          {r.declineReason && (
            <>
              <dt>{t('reason')}</dt>
              <dd>{r.declineReason}</dd>
            </>
          )}
        </dl>
        <h3>{t('description')}</h3>
        <p style={{ whiteSpace: 'pre-wrap' }}>{r.description}</p>
      </Card>
      <Card title={t('nextMoves')} testId="presale-moves">
        {closed ? (
          <p className="muted">{t('noMoves')}</p>
        ) : (
          <>
            <div className="row">
              {moves
                .filter((m) => m !== 'declined')
                .map((m) => (
                  <button
                    key={m}
                    className="primary"
                    data-testid={`presale-move-${m}`}
                    disabled={move.busy}
                    onClick={() => doMove(m)}
                  >
                    {t(MOVE_LABEL[m])}
                  </button>
                ))}
            </div>
            <Field label={t('reasonToDecline')}>
              <textarea
                name="declineReason"
                rows={2}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </Field>
            <button
              className="danger"
              data-testid="presale-move-declined"
              disabled={move.busy || !reason.trim()}
              onClick={() => doMove('declined')}
            >
              {t('decline')}
            </button>
          </>
        )}
        <ErrorBox error={move.error} />
      </Card>
      <Card title={t('comments')} testId="presale-comments">
        {r.comments.length === 0 && <p className="muted">{t('noData')}</p>}
        <ul className="plain">
          {r.comments.map((c) => (
            <li key={c.id} data-testid="presale-comment">
              <div className="muted">
                {formatDateTime(c.createdAt)} · {c.author} ({t(`author_${c.authorRole}`)})
              </div>
              <div style={{ whiteSpace: 'pre-wrap' }}>{c.body}</div>
            </li>
          ))}
        </ul>
        {!closed && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void post.run(async () => {
                await api.post(`/v1/presale-requests/${r.id}/comments`, { text: comment.trim() });
                setComment('');
              });
            }}
          >
            <Field label={t('addComment')}>
              <textarea
                name="comment"
                rows={3}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
            </Field>
            <button type="submit" disabled={post.busy || !comment.trim()}>
              {t('send')}
            </button>
          </form>
        )}
        <ErrorBox error={post.error} />
      </Card>
      <DecisionTrail entries={r.history} title={t('statusHistory')} testId="presale-history" />
      <p style={fullRow}>
        <Link to={`/${area}`} data-testid="back-to-queue">
          ← {t('backToQueue')}
        </Link>
      </p>
    </div>
  );
}
