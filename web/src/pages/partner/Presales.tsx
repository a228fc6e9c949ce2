import { Link, useNavigate } from 'react-router';
import { useState } from 'react';
import {
  api,
  type Customer,
  type Partner,
  type PresaleComment,
  type PresaleDetail as PresaleWithThread,
  type PresaleRequest,
  type Project,
} from '../../api';
import { useT } from '../../i18n';
import {
  Card,
  ErrorBox,
  Field,
  Loading,
  formatDateTime,
  useAction,
  useGet,
  useLoad,
} from '../../ui';
import { FormErrors, ProblemField, moscowDateTime } from './forms';
import { useRouteId } from '../../routing';

/** What the partner can name in a presale request: its customers and registered projects. */
function useTargets() {
  return useLoad('presale-targets', async () => {
    const [customers, partner] = await Promise.all([
      api.get<{ items: Customer[] }>('/v1/partners/me/customers'),
      api.get<Partner>('/v1/partners/me'),
    ]);
    const projects = await api.get<{ items: Project[] }>(`/v1/partners/${partner.id}/projects`);
    return { customers: customers.items, projects: projects.items };
  });
}

function projectLabel(p: Project, t: (key: string) => string): string {
  return p.scope === 'folder'
    ? `${t('folderId')} ${p.cloudId}/${p.folderId}`
    : `${t('cloudId')} ${p.cloudId}`;
}

/** The customer's name or the project's cloud and folder a request is about. */
function targetName(
  r: PresaleRequest,
  targets: { customers: Customer[]; projects: Project[] } | undefined,
  t: (key: string) => string,
): string {
  if (r.customerAccountId) {
    const c = targets?.customers.find((x) => x.id === r.customerAccountId);
    return c ? c.name : r.customerAccountId;
  }
  const p = targets?.projects.find((x) => x.id === r.projectId);
  return p ? projectLabel(p, t) : (r.projectId ?? '');
}

/** The partner's presale requests, newest first, and the form to ask for the experts. */
export function PresalesPage() {
  const t = useT();
  const navigate = useNavigate();
  const requests = useGet<{ items: PresaleRequest[] }>('/v1/partners/me/presale-requests');
  const targets = useTargets();
  const nameOf = (r: PresaleRequest) => targetName(r, targets.data, t);
  return (
    <div className="stack">
      <Card title={t('presaleRequests')} testId="presale-requests">
        {requests.error && <ErrorBox error={requests.error} />}
        {requests.loading && !requests.data && <Loading />}
        {requests.data?.items.length === 0 && <p className="muted">{t('noPresaleRequests')}</p>}
        {requests.data && requests.data.items.length > 0 && (
          <table className="clickable">
            <thead>
              <tr>
                <th>{t('topic')}</th>
                <th>{t('status')}</th>
                <th>{t('firstAnswerBy')}</th>
                <th>{t('customerOrProject')}</th>
                <th>{t('desiredDate')}</th>
              </tr>
            </thead>
            <tbody>
              {requests.data.items.map((r) => (
                <tr
                  key={r.id}
                  data-testid="presale-row"
                  onClick={() => void navigate(`/partner/presales/${r.id}`)}
                >
                  <td className="wrap">
                    <Link to={`/partner/presales/${r.id}`}>{r.topic}</Link>
                  </td>
                  <td>
                    <span className={`pill pill-${r.status}`} data-testid="presale-status">
                      {t(`st_${r.status}`)}
                    </span>
                  </td>
                  <td>
                    <FirstAnswer request={r} />
                  </td>
                  <td className="wrap">{nameOf(r)}</td>
                  <td className="nowrap">{r.desiredDate}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <PresaleForm targets={targets} />
    </div>
  );
}

/** The first-answer deadline while nobody has answered; when they did, once they have. */
function FirstAnswer({ request: r }: { request: PresaleRequest }) {
  const t = useT();
  if (r.firstAnsweredAt) {
    return (
      <span className="muted">
        {t('answeredAt')} {formatDateTime(r.firstAnsweredAt)}
      </span>
    );
  }
  const late = r.escalatedAt !== null || new Date(r.slaDeadline).getTime() < Date.now();
  return (
    <span className={late ? 'late' : ''}>
      {moscowDateTime(r.slaDeadline)} {t('msk')}
      {late && <span className="badge danger">{t('overdue')}</span>}
    </span>
  );
}

function PresaleForm({ targets }: { targets: ReturnType<typeof useTargets> }) {
  const t = useT();
  const [about, setAbout] = useState<'customer' | 'project'>('customer');
  const [customerAccountId, setCustomerAccountId] = useState('');
  const [projectId, setProjectId] = useState('');
  const [topic, setTopic] = useState('');
  const [description, setDescription] = useState('');
  const [desiredDate, setDesiredDate] = useState('');
  const action = useAction();
  const customers = targets.data?.customers ?? [];
  const projects = targets.data?.projects ?? [];
  const customer = customerAccountId || customers[0]?.id || '';
  const project = projectId || projects[0]?.id || '';
  const chosen = about === 'customer' ? customer : project;
  return (
    <Card title={t('askPresale')} testId="presale-card">
      {targets.error && <ErrorBox error={targets.error} />}
      <form
        data-testid="presale-form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            await api.post<PresaleRequest>('/v1/partners/me/presale-requests', {
              ...(about === 'customer' ? { customerAccountId: customer } : { projectId: project }),
              topic,
              description,
              desiredDate,
            });
            setTopic('');
            setDescription('');
            setDesiredDate('');
          });
        }}
      >
        <Field label={t('presaleAbout')}>
          <select
            name="about"
            value={about}
            onChange={(e) => setAbout(e.target.value as 'customer' | 'project')}
          >
            <option value="customer">{t('aboutCustomer')}</option>
            <option value="project">{t('aboutProject')}</option>
          </select>
        </Field>
        {about === 'customer' ? (
          <ProblemField label={t('customerAccount')} name="customerAccountId" error={action.error}>
            <select
              name="customerAccountId"
              value={customer}
              onChange={(e) => setCustomerAccountId(e.target.value)}
              disabled={customers.length === 0}
            >
              {customers.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} · {c.id}
                </option>
              ))}
            </select>
            {targets.data && customers.length === 0 && (
              <small className="muted">{t('noCustomersYet')}</small>
            )}
          </ProblemField>
        ) : (
          <ProblemField label={t('presaleProject')} name="projectId" error={action.error}>
            <select
              name="projectId"
              value={project}
              onChange={(e) => setProjectId(e.target.value)}
              disabled={projects.length === 0}
            >
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {projectLabel(p, t)}
                </option>
              ))}
            </select>
            {targets.data && projects.length === 0 && (
              <small className="muted">{t('noProjectsYet')}</small>
            )}
          </ProblemField>
        )}
        <ProblemField label={t('topic')} name="topic" error={action.error}>
          <input
            name="topic"
            value={topic}
            maxLength={200}
            onChange={(e) => setTopic(e.target.value)}
            placeholder={t('topicHint')}
          />
        </ProblemField>
        <ProblemField label={t('description')} name="description" error={action.error}>
          <textarea
            name="description"
            rows={4}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </ProblemField>
        <ProblemField label={t('desiredDate')} name="desiredDate" error={action.error}>
          <input
            type="date"
            name="desiredDate"
            value={desiredDate}
            onChange={(e) => setDesiredDate(e.target.value)}
          />
        </ProblemField>
        <button
          type="submit"
          className="primary"
          data-testid="submit-presale"
          disabled={action.busy || !chosen}
        >
          {t('sendRequest')}
        </button>
        {action.done && <span className="ok">{t('requestSent')}</span>}
      </form>
      <FormErrors
        error={action.error}
        shown={['customerAccountId', 'projectId', 'topic', 'description', 'desiredDate']}
      />
    </Card>
  );
}

/** One request: its details, every status change, and the conversation with presale staff. */
export function PresaleDetail() {
  const id = useRouteId();
  const t = useT();
  const request = useGet<PresaleWithThread>(`/v1/presale-requests/${id}`);
  const targets = useTargets();
  if (request.loading && !request.data) return <Loading />;
  if (request.error) return <ErrorBox error={request.error} />;
  const r = request.data!;
  const closed = r.status === 'done' || r.status === 'declined';
  return (
    <div className="stack">
      <p>
        <Link to="/partner/presales">← {t('presaleRequests')}</Link>
      </p>
      <div className="grid">
        <Card title={r.topic} testId="presale-detail">
          <p className={`pill pill-${r.status}`} data-testid="presale-status">
            {t(`st_${r.status}`)}
          </p>
          <dl className="wrap">
            <dt>{r.customerAccountId ? t('customerAccount') : t('presaleProject')}</dt>
            <dd>
              {targetName(r, targets.data, t)}
              {r.customerAccountId && <div className="muted small">{r.customerAccountId}</div>}
            </dd>
            <dt>{t('desiredDate')}</dt>
            <dd>{r.desiredDate}</dd>
            <dt>{r.firstAnsweredAt ? t('firstAnswer') : t('firstAnswerBy')}</dt>
            <dd>
              {r.firstAnsweredAt ? formatDateTime(r.firstAnsweredAt) : <FirstAnswer request={r} />}
            </dd>
            {r.assignee && (
              <>
                <dt>{t('assignee')}</dt>
                <dd>{r.assignee}</dd>
              </>
            )}
            {r.declineReason && (
              <>
                <dt>{t('presaleDeclineReason')}</dt>
                <dd data-testid="presale-decline-reason">{r.declineReason}</dd>
              </>
            )}
            <dt>{t('submitted')}</dt>
            <dd>
              {formatDateTime(r.createdAt)} · {r.createdBy}
            </dd>
            <dt>{t('description')}</dt>
            <dd className="prewrap">{r.description}</dd>
          </dl>
        </Card>
        <Card title={t('comments')} testId="presale-comments">
          <CommentThread comments={r.comments} />
          {closed ? (
            <p className="muted">{t('commentsClosed')}</p>
          ) : (
            <CommentBox requestId={r.id} />
          )}
        </Card>
      </div>
      <Card title={t('history')} testId="presale-history">
        <table>
          <thead>
            <tr>
              <th>
                {t('when')} ({t('msk')})
              </th>
              <th>{t('who')}</th>
              <th>{t('statusChange')}</th>
              <th>{t('assignee')}</th>
              <th>{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {r.history.map((h) => (
              <tr key={h.id}>
                <td className="nowrap">{moscowDateTime(h.at)}</td>
                <td>{h.actor}</td>
                <td>
                  {h.from ? t(`st_${h.from}`) : '—'} → {h.to ? t(`st_${h.to}`) : '—'}
                </td>
                <td>{h.assignee ?? ''}</td>
                <td className="wrap">{h.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}

function CommentThread({ comments }: { comments: PresaleComment[] }) {
  const t = useT();
  if (comments.length === 0) return <p className="muted">{t('noComments')}</p>;
  return (
    <ul className="thread">
      {comments.map((c) => (
        <li key={c.id} className={`comment comment-${c.authorRole}`} data-testid="presale-comment">
          <div className="muted small">
            {c.author} · {t(`author_${c.authorRole}`)} · {formatDateTime(c.createdAt)}
          </div>
          <div className="prewrap">{c.body}</div>
        </li>
      ))}
    </ul>
  );
}

function CommentBox({ requestId }: { requestId: string }) {
  const t = useT();
  const [text, setText] = useState('');
  const action = useAction();
  return (
    <form
      data-testid="comment-form"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await api.post(`/v1/presale-requests/${requestId}/comments`, { text });
          setText('');
        });
      }}
    >
      <ProblemField label={t('yourComment')} name="text" error={action.error}>
        <textarea name="text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </ProblemField>
      <button type="submit" className="primary" disabled={action.busy || !text.trim()}>
        {t('addComment')}
      </button>
      <FormErrors error={action.error} shown={['text']} />
    </form>
  );
}
