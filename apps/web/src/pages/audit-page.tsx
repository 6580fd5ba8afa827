import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import {
  AUDIT_PAGE_SIZE,
  type AuditEvent,
  type AuditFilters,
  type AuditPage as Page,
  type ChainVerification,
  listAuditEvents,
  verifyChain,
} from '../api/audit';
import { ErrorAlert } from '../components/error-alert';
import { formatDate } from '../format';
import { messages } from '../messages';
import { Pager } from '../components/pager';

const m = messages.audit;
const NO_FILTERS: AuditFilters = { type: '', actor: '', from: '', to: '' };

const errorText = (error: unknown) =>
  error instanceof ApiError ? error.message : messages.errors.unexpected;

function target(event: AuditEvent): string {
  return Object.entries(event.target)
    .map(([kind, id]) => `${kind.replace(/Id$/, '')} ${id}`)
    .join(', ');
}

function details(event: AuditEvent): string {
  return Object.entries(event.details)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(', ');
}

/** Auditors and admins: the audit trail with its filters, and whether its hash chain is whole. */
export function AuditPage() {
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const edit = (name: keyof AuditFilters) => (event: { currentTarget: { value: string } }) =>
    setDraft((current) => ({ ...current, [name]: event.currentTarget.value }));
  const [pageNumber, setPageNumber] = useState(1);
  const [page, setPage] = useState<Page>();
  const [error, setError] = useState<string>();
  const [chain, setChain] = useState<ChainVerification>();
  const [chainError, setChainError] = useState<string>();
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(async () => {
    try {
      setPage(await listAuditEvents(filters, pageNumber));
      setError(undefined);
    } catch (caught) {
      setError(errorText(caught));
    }
  }, [filters, pageNumber]);
  useEffect(() => {
    void load();
  }, [load]);

  const verify = useCallback(async () => {
    setVerifying(true);
    setChainError(undefined);
    try {
      setChain(await verifyChain());
    } catch (caught) {
      setChainError(errorText(caught));
    } finally {
      setVerifying(false);
    }
  }, []);
  useEffect(() => {
    void verify();
  }, [verify]);

  const pages = page ? Math.max(1, Math.ceil(page.total / AUDIT_PAGE_SIZE)) : 1;
  const apply = (next: AuditFilters) => {
    setFilters(next);
    setDraft(next);
    setPageNumber(1);
  };

  return (
    <section>
      <h1>{m.title}</h1>
      <section class="chain" aria-labelledby="chain-title">
        <h2 id="chain-title">{m.chainTitle}</h2>
        <p role="status" data-testid="chain-result">
          {verifying ? (
            m.verifying
          ) : chain?.valid ? (
            <strong class="ok">{m.chainValid(chain.count)}</strong>
          ) : chain ? (
            <strong class="broken">{m.chainBroken(chain.firstInvalidSeq ?? 0, chain.count)}</strong>
          ) : null}
        </p>
        <ErrorAlert message={chainError} />
        <button type="button" class="secondary" disabled={verifying} onClick={() => void verify()}>
          {m.verifyAgain}
        </button>
      </section>

      <form
        class="filters"
        aria-label={m.filtersTitle}
        onSubmit={(event) => {
          event.preventDefault();
          apply(draft);
        }}
      >
        <label for="audit-type">{m.type}</label>
        <select id="audit-type" value={draft.type} onChange={edit('type')}>
          <option value="">{m.anyType}</option>
          {Object.entries(m.types).map(([type, label]) => (
            <option key={type} value={type}>
              {label}
            </option>
          ))}
        </select>
        <label for="audit-actor">{m.actor}</label>
        <input
          id="audit-actor"
          type="text"
          value={draft.actor}
          onInput={edit('actor')}
          spellcheck={false}
        />
        <label for="audit-from">{m.from}</label>
        <input id="audit-from" type="date" value={draft.from} onInput={edit('from')} />
        <label for="audit-to">{m.to}</label>
        <input id="audit-to" type="date" value={draft.to} onInput={edit('to')} />
        <div class="row">
          <button type="button" class="secondary" onClick={() => apply(NO_FILTERS)}>
            {m.clear}
          </button>
          <button type="submit">{m.apply}</button>
        </div>
      </form>

      <ErrorAlert message={error} />
      {page && <p class="count">{m.total(page.total)}</p>}
      {page && page.items.length === 0 ? (
        <p class="empty">{m.empty}</p>
      ) : (
        <div class="table-wrap">
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">{m.seq}</th>
                <th scope="col">{m.at}</th>
                <th scope="col">{m.event}</th>
                <th scope="col">{m.actorColumn}</th>
                <th scope="col">{m.target}</th>
                <th scope="col">{m.outcome}</th>
              </tr>
            </thead>
            <tbody>
              {page?.items.map((event) => {
                const actorId = event.actor.userId ?? event.actor.linkId;
                const actor =
                  actorId && (event.actor.userId ? m.byUser(actorId) : m.byLink(actorId));
                return (
                  <tr key={event.seq} data-testid="audit-row">
                    <td class="num">{event.seq}</td>
                    <td>
                      <time dateTime={event.at}>{formatDate(event.at)}</time>
                    </td>
                    <td>
                      {m.types[event.type] ?? event.type}
                      {Object.keys(event.details).length > 0 && (
                        <div class="muted details">{details(event)}</div>
                      )}
                    </td>
                    <td class="ids">
                      {actorId && actor ? (
                        <button
                          type="button"
                          class="link"
                          aria-label={m.filterByActor(actor)}
                          onClick={() => apply({ ...filters, actor: actorId })}
                        >
                          {actor}
                        </button>
                      ) : (
                        m.nobody
                      )}
                      {event.actor.ip && <div class="muted">{m.fromIp(event.actor.ip)}</div>}
                    </td>
                    <td class="ids">{target(event) || m.nobody}</td>
                    <td>
                      <span class={`badge ${event.outcome === 'success' ? 'active' : 'revoked'}`}>
                        {m.outcomes[event.outcome]}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={pageNumber} pages={pages} onPage={setPageNumber} />
    </section>
  );
}
