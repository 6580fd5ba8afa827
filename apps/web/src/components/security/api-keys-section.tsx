import { useState } from 'preact/hooks';
import {
  API_KEY_SCOPES,
  type ApiKeyScope,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from '../../api/security';
import { field } from '../../form-field';
import { messages } from '../../messages';
import { DataTable } from '../data-table';
import { RowAction } from '../row-action';
import { SectionStatus } from '../section-status';
import { Timestamp } from '../timestamp';
import { ShownOnce } from './shown-once';
import { useManagedList } from './use-managed-list';

const m = messages.security.apiKeys;
const LIFETIMES_DAYS = [30, 90, 365] as const;
const DAY_MS = 86_400_000;

/** Personal API keys for scripts: created with scopes and an expiry, the secret shown once. */
export function ApiKeysSection() {
  const { items: keys, error, notice, busy, run } = useManagedList(listApiKeys);
  const [created, setCreated] = useState<{ name: string; key: string }>();

  const create = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const scopes = data.getAll('scope') as ApiKeyScope[];
    const days = Number(data.get('lifetime'));
    void run(async () => {
      const key = await createApiKey(
        field(data, 'name').trim(),
        scopes,
        new Date(Date.now() + days * DAY_MS).toISOString(),
      );
      setCreated({ name: key.name, key: key.key });
      form.reset();
      return m.created(key.name);
    });
  };

  return (
    <section class="panel" aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">{m.title}</h2>
      <p>{m.intro}</p>
      <SectionStatus error={error} notice={notice} />
      {created && (
        <ShownOnce id="created-api-key" label={m.shownOnce(created.name)} secret={created.key} />
      )}
      <DataTable
        rows={keys}
        rowKey={(key) => key.id}
        label={m.tableLabel}
        empty={m.empty}
        columns={[
          {
            header: m.name,
            kind: 'name',
            cell: (key) => (
              <>
                {key.name} <code>{key.hint}…</code>
              </>
            ),
          },
          { header: m.scopes, cell: (key) => key.scopes.join(', ') },
          { header: m.expires, cell: (key) => <Timestamp at={key.expiresAt} /> },
          {
            header: m.lastUsed,
            cell: (key) => (key.lastUsedAt ? <Timestamp at={key.lastUsedAt} /> : m.never),
          },
          {
            header: m.actions,
            kind: 'actions',
            cell: (key) => (
              <RowAction
                label={m.revokeLabel(key.name)}
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    await revokeApiKey(key.id);
                    return m.revoked(key.name);
                  })
                }
              >
                {m.revoke}
              </RowAction>
            ),
          },
        ]}
      />
      <form onSubmit={create}>
        <h3>{m.newTitle}</h3>
        <label for="api-key-name">{m.name}</label>
        <input id="api-key-name" name="name" type="text" maxLength={100} required />
        <fieldset>
          <legend>{m.scopes}</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} class="check">
              <input type="checkbox" name="scope" value={scope} /> {m.scopeHelp[scope]}
            </label>
          ))}
        </fieldset>
        <label for="api-key-lifetime">{m.lifetime}</label>
        <select id="api-key-lifetime" name="lifetime">
          {LIFETIMES_DAYS.map((days) => (
            <option key={days} value={days}>
              {m.days(days)}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          {m.create}
        </button>
      </form>
    </section>
  );
}
