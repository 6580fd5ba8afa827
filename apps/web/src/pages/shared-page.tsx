import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { downloadFile, type FilePage, listFiles, type StoredFile } from '../api/files';
import { ErrorAlert } from '../components/error-alert';
import { formatBytes, formatDate } from '../format';
import { messages } from '../messages';

const m = messages.shared;

/** Files other people shared with the signed-in person. */
export function SharedPage() {
  const [page, setPage] = useState<FilePage>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    listFiles({ q: '', sort: 'uploadedAt', descending: true, page: 1 }, 'shared').then(
      setPage,
      (caught: unknown) =>
        setError(caught instanceof ApiError ? caught.message : messages.errors.unexpected),
    );
  }, []);

  const download = (file: StoredFile) =>
    downloadFile(file).catch((caught: unknown) =>
      setError(caught instanceof ApiError ? caught.message : messages.errors.unexpected),
    );

  return (
    <section>
      <h1>{m.title}</h1>
      <ErrorAlert message={error} />
      {page && page.items.length === 0 && <p class="empty">{m.empty}</p>}
      {page && page.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{messages.files.name}</th>
                <th scope="col">{m.sharedBy}</th>
                <th scope="col">{messages.files.size}</th>
                <th scope="col">{messages.files.uploaded}</th>
                <th scope="col">{messages.files.actions}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((file) => (
                <tr key={file.id}>
                  <td class="name">{file.name}</td>
                  <td>{file.ownerEmail}</td>
                  <td class="num">{formatBytes(file.size)}</td>
                  <td>
                    <time dateTime={file.uploadedAt}>{formatDate(file.uploadedAt)}</time>
                  </td>
                  <td class="actions">
                    <button
                      type="button"
                      class="secondary"
                      aria-label={m.downloadLabel(file.name)}
                      onClick={() => void download(file)}
                    >
                      {m.download}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
