import { useState } from 'preact/hooks';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  setWebhookEnabled,
  WEBHOOK_EVENTS,
  type WebhookEndpoint,
  type WebhookEvent,
} from '../../api/webhooks';
import type { Me } from '../../api/session';
import { field } from '../../form-field';
import { messages } from '../../messages';
import { mayAdminister } from '../../roles';
import { ConfirmDialog } from '../confirm-dialog';
import { SectionStatus } from '../section-status';
import { TableWrap } from '../table-wrap';
import { ShownOnce } from './shown-once';
import { useManagedList } from './use-managed-list';
import { WebhookDeliveries } from './webhook-deliveries';

const m = messages.security.webhooks;

/** Endpoints Strongroom calls on events: added with a secret shown once, paused, deleted, logged. */
export function WebhooksSection({ me }: { me: Me }) {
  const { items: endpoints, error, notice, busy, run } = useManagedList(listWebhooks);
  const [created, setCreated] = useState<{ url: string; secret: string }>();
  const [shownId, setShownId] = useState<string>();
  const [deleting, setDeleting] = useState<WebhookEndpoint>();
  const shown = endpoints?.find((endpoint) => endpoint.id === shownId);

  const create = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    void run(async () => {
      const endpoint = await createWebhook(
        field(data, 'url').trim(),
        data.getAll('event') as WebhookEvent[],
        data.has('instance') ? 'instance' : 'user',
      );
      setCreated({ url: endpoint.url, secret: endpoint.secret });
      form.reset();
      return m.created(endpoint.url);
    });
  };

  const toggle = (endpoint: WebhookEndpoint) =>
    void run(async () => {
      await setWebhookEnabled(endpoint.id, !endpoint.enabled);
      return endpoint.enabled ? m.disabledNotice(endpoint.url) : m.enabledNotice(endpoint.url);
    });

  const remove = (endpoint: WebhookEndpoint) => {
    setDeleting(undefined);
    void run(async () => {
      await deleteWebhook(endpoint.id);
      if (shownId === endpoint.id) setShownId(undefined);
      return m.deleted(endpoint.url);
    });
  };

  return (
    <section class="panel" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{m.title}</h2>
      <p>{m.intro}</p>
      <SectionStatus error={error} notice={notice} />
      {created && (
        <ShownOnce
          id="created-webhook-secret"
          label={m.shownOnce(created.url)}
          secret={created.secret}
        />
      )}
      {endpoints && endpoints.length === 0 && <p class="empty">{m.empty}</p>}
      {endpoints && endpoints.length > 0 && (
        <TableWrap label={m.tableLabel}>
          <table>
            <thead>
              <tr>
                <th scope="col">{m.url}</th>
                <th scope="col">{m.events}</th>
                <th scope="col">{m.state}</th>
                <th scope="col">{m.actions}</th>
              </tr>
            </thead>
            <tbody>
              {endpoints.map((endpoint) => (
                <tr key={endpoint.id}>
                  <td class="name">
                    {endpoint.url}
                    {endpoint.scope === 'instance' && <span class="reason">{m.instanceWide}</span>}
                  </td>
                  <td>{endpoint.events.join(', ')}</td>
                  <td>
                    {endpoint.enabled ? m.enabled : m.disabled}
                    {endpoint.disabledReason && (
                      <span class="reason"> {endpoint.disabledReason}</span>
                    )}
                  </td>
                  <td>
                    <div class="action-list">
                      <button
                        type="button"
                        class="secondary"
                        aria-label={m.deliveriesLabel(endpoint.url)}
                        aria-pressed={shownId === endpoint.id}
                        onClick={() =>
                          setShownId(shownId === endpoint.id ? undefined : endpoint.id)
                        }
                      >
                        {m.deliveries}
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy}
                        aria-label={
                          endpoint.enabled
                            ? m.disableLabel(endpoint.url)
                            : m.enableLabel(endpoint.url)
                        }
                        onClick={() => toggle(endpoint)}
                      >
                        {endpoint.enabled ? m.disable : m.enable}
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy}
                        aria-label={m.deleteLabel(endpoint.url)}
                        onClick={() => setDeleting(endpoint)}
                      >
                        {m.delete}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {deleting && (
        <ConfirmDialog
          text={m.confirmDelete(deleting.url)}
          confirm={m.delete}
          onConfirm={() => remove(deleting)}
          onClose={() => setDeleting(undefined)}
        />
      )}
      {shown && (
        <WebhookDeliveries key={shown.id} endpoint={shown} onClose={() => setShownId(undefined)} />
      )}
      <form onSubmit={create}>
        <h3>{m.newTitle}</h3>
        <label for="webhook-url">{m.url}</label>
        <input
          id="webhook-url"
          name="url"
          type="url"
          maxLength={2000}
          required
          placeholder="https://"
        />
        <fieldset>
          <legend>{m.events}</legend>
          {WEBHOOK_EVENTS.map((name) => (
            <label key={name} class="check">
              <input type="checkbox" name="event" value={name} /> {name}
            </label>
          ))}
        </fieldset>
        {mayAdminister(me.role) && (
          <label class="check">
            <input type="checkbox" name="instance" /> {m.instance}
          </label>
        )}
        <button type="submit" disabled={busy}>
          {m.create}
        </button>
      </form>
    </section>
  );
}
