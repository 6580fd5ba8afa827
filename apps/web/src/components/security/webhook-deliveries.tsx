import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../api/api-error';
import { type DeliveryPage, listDeliveries, type WebhookEndpoint } from '../../api/webhooks';
import { formatDate } from '../../format';
import { messages } from '../../messages';
import { Pager } from '../pager';
import { SectionStatus } from '../section-status';
import { TableWrap } from '../table-wrap';

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
      {log && log.items.length === 0 && <p class="empty">{m.empty}</p>}
      {log && log.items.length > 0 && (
        <TableWrap label={m.tableLabel}>
          <table>
            <thead>
              <tr>
                <th scope="col">{m.at}</th>
                <th scope="col">{m.event}</th>
                <th scope="col">{m.attempt}</th>
                <th scope="col">{m.outcome}</th>
                <th scope="col">{m.error}</th>
                <th scope="col">{m.duration}</th>
              </tr>
            </thead>
            <tbody>
              {log.items.map((delivery) => (
                <tr key={`${delivery.webhookId}-${delivery.attempt}`}>
                  <td>
                    <time dateTime={delivery.at}>{formatDate(delivery.at)}</time>
                  </td>
                  <td>
                    <code>{delivery.event}</code>
                  </td>
                  <td>{delivery.attempt}</td>
                  <td>
                    {delivery.statusCode === null ? m.noAnswer : m.status(delivery.statusCode)}
                  </td>
                  <td>{delivery.error}</td>
                  <td>{m.ms(delivery.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
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
