import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorText } from '../api/api-error';
import {
  AUDIT_PAGE_SIZE,
  type AuditEvent,
  type AuditFilters,
  type AuditPage as Page,
  type ChainVerification,
  listAuditEvents,
  verifyChain,
} from '../api/audit';
import { DataTable } from '../components/data-table';
import { ErrorAlert } from '../components/error-alert';
import { messages } from '../messages';
import { Pager } from '../components/pager';
import { Timestamp } from '../components/timestamp';

const m = messages.audit;
const NO_FILTERS: AuditFilters = { type: '', actor: '', from: '', to: '' };

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
      <DataTable
        rows={page?.items}
        rowKey={(event) => event.seq}
        label={m.tableLabel}
        rowTestId="audit-row"
        tableClass="audit"
        empty={m.empty}
        columns={[
          { header: m.seq, kind: 'num', cell: (event) => event.seq },
          { header: m.at, cell: (event) => <Timestamp at={event.at} /> },
          {
            header: m.event,
            cell: (event) => (
              <>
                {m.types[event.type] ?? event.type}
                {Object.keys(event.details).length > 0 && (
                  <div class="muted details">{details(event)}</div>
                )}
              </>
            ),
          },
          {
            header: m.actorColumn,
            kind: 'ids',
            cell: (event) => {
              const actorId = event.actor.userId ?? event.actor.linkId;
              const actor = actorId && (event.actor.userId ? m.byUser(actorId) : m.byLink(actorId));
              return (
                <>
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
                </>
              );
            },
          },
          { header: m.target, kind: 'ids', cell: (event) => target(event) || m.nobody },
          {
            header: m.outcome,
            cell: (event) => (
              <span class={`badge ${event.outcome === 'success' ? 'active' : 'revoked'}`}>
                {m.outcomes[event.outcome]}
              </span>
            ),
          },
        ]}
      />
      <Pager page={pageNumber} pages={pages} onPage={setPageNumber} />
    </section>
  );
}
