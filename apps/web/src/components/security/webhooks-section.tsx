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
import { DataTable } from '../data-table';
import { RowAction } from '../row-action';
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
      <DataTable
        rows={endpoints}
        rowKey={(endpoint) => endpoint.id}
        label={m.tableLabel}
        empty={m.empty}
        columns={[
          {
            header: m.url,
            kind: 'name',
            cell: (endpoint) => (
              <>
                {endpoint.url}
                {endpoint.scope === 'instance' && <span class="reason">{m.instanceWide}</span>}
              </>
            ),
          },
          { header: m.events, cell: (endpoint) => endpoint.events.join(', ') },
          {
            header: m.state,
            cell: (endpoint) => (
              <>
                {endpoint.enabled ? m.enabled : m.disabled}
                {endpoint.disabledReason && <span class="reason"> {endpoint.disabledReason}</span>}
              </>
            ),
          },
          {
            header: m.actions,
            cell: (endpoint) => (
              <div class="action-list">
                <RowAction
                  label={m.deliveriesLabel(endpoint.url)}
                  pressed={shownId === endpoint.id}
                  onClick={() => setShownId(shownId === endpoint.id ? undefined : endpoint.id)}
                >
                  {m.deliveries}
                </RowAction>
                <RowAction
                  label={
                    endpoint.enabled ? m.disableLabel(endpoint.url) : m.enableLabel(endpoint.url)
                  }
                  disabled={busy}
                  onClick={() => toggle(endpoint)}
                >
                  {endpoint.enabled ? m.disable : m.enable}
                </RowAction>
                <RowAction
                  label={m.deleteLabel(endpoint.url)}
                  disabled={busy}
                  onClick={() => setDeleting(endpoint)}
                >
                  {m.delete}
                </RowAction>
              </div>
            ),
          },
        ]}
      />
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
