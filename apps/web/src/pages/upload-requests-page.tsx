import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api/api-error';
import {
  closeUploadRequest,
  type CreatedUploadRequest,
  createUploadRequest,
  deleteUploadRequest,
  listUploadRequests,
  type UploadRequest,
} from '../api/upload-requests';
import { DataTable } from '../components/data-table';
import { RowAction } from '../components/row-action';
import { SectionStatus } from '../components/section-status';
import { Timestamp } from '../components/timestamp';
import { field } from '../form-field';
import { formatBytes } from '../format';
import { messages } from '../messages';

const m = messages.uploadRequests;
const DAY_MS = 86_400_000;

/** Links through which other people send files into the signed-in person's space. */
export function UploadRequestsPage() {
  const [requests, setRequests] = useState<UploadRequest[]>();
  const [created, setCreated] = useState<CreatedUploadRequest>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const fail = (caught: unknown) => setError(errorText(caught));
  const reload = () => listUploadRequests().then(setRequests, fail);
  useEffect(() => void reload(), []);

  async function act(work: () => Promise<unknown>, done: string) {
    setError(undefined);
    try {
      await work();
      setNotice(done);
      await reload();
    } catch (caught) {
      fail(caught);
    }
  }

  async function create(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const days = Number(field(data, 'days'));
    const maxFiles = field(data, 'maxFiles');
    const message = field(data, 'message').trim();
    const password = field(data, 'password');
    setError(undefined);
    try {
      const request = await createUploadRequest({
        title: field(data, 'title'),
        ...(message ? { message } : {}),
        expiresAt: new Date(Date.now() + days * DAY_MS).toISOString(),
        ...(maxFiles ? { maxFiles: Number(maxFiles) } : {}),
        ...(password ? { password } : {}),
      });
      setCreated(request);
      setNotice(m.created(request.title));
      form.reset();
      await reload();
    } catch (caught) {
      fail(caught);
    }
  }

  return (
    <section>
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      <SectionStatus error={error} notice={notice} />
      <form class="link-form" onSubmit={(event) => void create(event)}>
        <label for="request-title">{m.titleLabel}</label>
        <input id="request-title" name="title" required maxLength={200} />
        <label for="request-message">{m.message}</label>
        <textarea id="request-message" name="message" maxLength={2000} rows={3} />
        <label for="request-days">{m.expiry}</label>
        <select id="request-days" name="days" defaultValue="7">
          {['1', '7', '30'].map((days) => (
            <option key={days} value={days}>
              {m.days(Number(days))}
            </option>
          ))}
        </select>
        <label for="request-max-files">{m.maxFiles}</label>
        <input
          id="request-max-files"
          name="maxFiles"
          type="number"
          min={1}
          max={10000}
          step={1}
          inputMode="numeric"
        />
        <label for="request-password">{m.password}</label>
        <input id="request-password" name="password" type="password" autoComplete="new-password" />
        <button type="submit">{m.create}</button>
      </form>
      {created && (
        <div class="created-link">
          <label for="request-url">{m.linkLabel}</label>
          <input id="request-url" type="text" readOnly value={created.url} />
        </div>
      )}
      <DataTable
        rows={requests}
        rowKey={(request) => request.id}
        label={m.tableLabel}
        empty={m.empty}
        columns={[
          { header: m.titleLabel, kind: 'name', cell: (request) => request.title },
          {
            header: m.state,
            cell: (request) => (
              <span class={`badge ${request.state === 'open' ? 'active' : 'expired'}`}>
                {m.states[request.state]}
              </span>
            ),
          },
          {
            header: m.received,
            cell: (request) => m.receivedSummary(request.files, formatBytes(request.bytes)),
          },
          { header: m.expires, cell: (request) => <Timestamp at={request.expiresAt} /> },
          {
            header: messages.files.actions,
            kind: 'actions',
            cell: (request) => (
              <>
                {request.state !== 'closed' && (
                  <RowAction
                    label={m.closeLabel(request.title)}
                    onClick={() =>
                      void act(() => closeUploadRequest(request.id), m.closed(request.title))
                    }
                  >
                    {m.close}
                  </RowAction>
                )}
                <RowAction
                  label={m.deleteLabel(request.title)}
                  tone="danger"
                  onClick={() =>
                    void act(() => deleteUploadRequest(request.id), m.deleted(request.title))
                  }
                >
                  {m.delete}
                </RowAction>
              </>
            ),
          },
        ]}
      />
    </section>
  );
}
