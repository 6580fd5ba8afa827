import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../api/api-error';
import { type DeliveryPage, listDeliveries, type WebhookEndpoint } from '../../api/webhooks';
import { messages } from '../../messages';
import { Pager } from '../pager';
import { SectionStatus } from '../section-status';
import { DataTable } from '../data-table';
import { Timestamp } from '../timestamp';

const m = messages.security.webhooks.log;
const PAGE_SIZE = 20;

/** One endpoint's delivery log, newest first: every attempt with its answer or its error. */
export function WebhookDeliveries({
  endpoint,
  onClose,
}: {
  endpoint: WebhookEndpoint;
  onClose: () => void;
}) {
  const [page, setPage] = useState(1);
  const [log, setLog] = useState<DeliveryPage>();
  const [error, setError] = useState<string>();

  const load = (wanted: number) => {
    setError(undefined);
    listDeliveries(endpoint.id, wanted, PAGE_SIZE).then(setLog, (caught: unknown) =>
      setError(errorText(caught)),
    );
  };

  useEffect(() => load(page), [page]);

  return (
    <section aria-labelledby="webhook-deliveries-title" class="webhook-deliveries">
      <h3 id="webhook-deliveries-title">{m.title(endpoint.url)}</h3>
      <SectionStatus error={error} />
      <div class="row">
        <button type="button" class="secondary" onClick={() => load(page)}>
          {m.refresh}
        </button>
        <button type="button" class="secondary" onClick={onClose}>
          {m.close}
        </button>
      </div>
      <DataTable
        rows={log?.items}
        rowKey={(delivery) => `${delivery.webhookId}-${delivery.attempt}`}
        label={m.tableLabel}
        empty={m.empty}
        columns={[
          { header: m.at, cell: (delivery) => <Timestamp at={delivery.at} /> },
          { header: m.event, cell: (delivery) => <code>{delivery.event}</code> },
          { header: m.attempt, cell: (delivery) => delivery.attempt },
          {
            header: m.outcome,
            cell: (delivery) =>
              delivery.statusCode === null ? m.noAnswer : m.status(delivery.statusCode),
          },
          { header: m.error, cell: (delivery) => delivery.error },
          { header: m.duration, cell: (delivery) => m.ms(delivery.durationMs) },
        ]}
      />
      {log && (
        <Pager
          page={page}
          pages={Math.ceil(log.total / PAGE_SIZE)}
          onPage={(next) => setPage(next)}
        />
      )}
    </section>
  );
}
