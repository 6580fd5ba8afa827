import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import {
  deleteFile,
  type FilePage,
  listFiles,
  type ListQuery,
  renameFile,
  type SortField,
  type StoredFile,
  uploadFile,
  PAGE_SIZE,
} from '../api/files';
import { type Me, session } from '../api/session';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorAlert } from '../components/error-alert';
import { RenameForm } from '../components/rename-form';
import { ShareDialog } from '../components/share-dialog';
import { StorageBar } from '../components/storage-bar';
import { type UploadItem, UploadList } from '../components/upload-list';
import { formatBytes, formatDate } from '../format';
import { messages } from '../messages';
import { Pager } from '../components/pager';

const m = messages.files;
let uploadKey = 0;

function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : messages.errors.unexpected;
}

export function FilesPage({ me }: { me: Me }) {
  const [query, setQuery] = useState<ListQuery>({
    q: '',
    sort: 'uploadedAt',
    descending: true,
    page: 1,
  });
  const [page, setPage] = useState<FilePage>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const [renaming, setRenaming] = useState<string>();
  const [deleting, setDeleting] = useState<StoredFile>();
  const [sharing, setSharing] = useState<StoredFile>();
  const [dragging, setDragging] = useState(false);
  const [search, setSearch] = useState('');
  // One request when the person pauses typing, not one per key.
  useEffect(() => {
    const timer = setTimeout(
      () =>
        setQuery((current) =>
          current.q === search ? current : { ...current, q: search, page: 1 },
        ),
      250,
    );
    return () => clearTimeout(timer);
  }, [search]);
  const fileInput = useRef<HTMLInputElement>(null);

  const reload = useCallback(async () => {
    try {
      setPage(await listFiles(query));
      setError(undefined);
    } catch (caught) {
      setError(errorText(caught));
    }
  }, [query]);
  useEffect(() => {
    void reload();
  }, [reload]);

  function patchUpload(key: number, change: Partial<UploadItem>) {
    setUploads((items) => items.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }

  function startUploads(files: FileList | File[]) {
    for (const file of Array.from(files)) {
      const key = ++uploadKey;
      const handle = uploadFile(file, {
        progress: (sent) => patchUpload(key, { sent, offline: false }),
        resumed: (offset) =>
          patchUpload(key, {
            sent: offset,
            startOffset: offset,
            startedAt: performance.now(),
            offline: false,
          }),
        offline: () => patchUpload(key, { offline: true }),
      });
      const item: UploadItem = {
        key,
        name: file.name,
        size: file.size,
        sent: 0,
        startedAt: performance.now(),
        startOffset: 0,
        state: 'sending',
        cancel: handle.cancel,
      };
      setUploads((items) => [...items, item]);
      handle.done.then(
        () => {
          patchUpload(key, { state: 'done', sent: file.size });
          void reload();
          void session.loadMe();
        },
        (failure: unknown) => {
          const cancelled = failure instanceof DOMException && failure.name === 'AbortError';
          patchUpload(
            key,
            cancelled ? { state: 'cancelled' } : { state: 'failed', error: errorText(failure) },
          );
        },
      );
    }
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer?.files.length) startUploads(event.dataTransfer.files);
  }

  function sortBy(field: SortField) {
    setQuery((current) => ({
      ...current,
      sort: field,
      descending: current.sort === field ? !current.descending : field !== 'name',
      page: 1,
    }));
  }

  async function saveName(file: StoredFile, name: string) {
    try {
      const renamed = await renameFile(file.id, name);
      await reload();
      setRenaming(undefined);
      setNotice(m.renamed(renamed.name));
    } catch (caught) {
      setError(errorText(caught));
    }
  }

  async function confirmDelete(file: StoredFile) {
    setDeleting(undefined);
    try {
      await deleteFile(file.id);
      await reload();
      // Announced once the table shows it.
      setNotice(m.deleted(file.name));
      await session.loadMe();
    } catch (caught) {
      setError(errorText(caught));
    }
  }

  const header = (field: SortField, label: string) => {
    const active = query.sort === field;
    return (
      <th scope="col" aria-sort={active ? (query.descending ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          class="sort"
          onClick={() => sortBy(field)}
          aria-label={m.sortBy(label)}
        >
          {label}
          <span aria-hidden="true">{active ? (query.descending ? ' ↓' : ' ↑') : ''}</span>
        </button>
      </th>
    );
  };

  const pages = page ? Math.max(1, Math.ceil(page.total / PAGE_SIZE)) : 1;

  return (
    <section
      class={`files ${dragging ? 'dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div class="files-head">
        <h1>{m.title}</h1>
        <StorageBar me={me} />
      </div>
      <div class="drop-zone" data-testid="drop-zone">
        <p>{messages.upload.dropZone}</p>
        <span>{messages.upload.or}</span>
        <button type="button" onClick={() => fileInput.current?.click()}>
          {messages.upload.choose}
        </button>
        <input
          ref={fileInput}
          class="visually-hidden"
          type="file"
          multiple
          tabIndex={-1}
          aria-hidden="true"
          onChange={(event) => {
            const input = event.currentTarget;
            if (input.files?.length) startUploads(input.files);
            input.value = '';
          }}
        />
      </div>
      <UploadList
        items={uploads}
        onDismiss={() => setUploads((items) => items.filter((item) => item.state === 'sending'))}
      />
      <ErrorAlert message={error} />
      <p class="notice" role="status">
        {notice}
      </p>
      <div class="toolbar">
        <label for="search">{m.search}</label>
        <input
          id="search"
          type="search"
          value={search}
          onInput={(event) => setSearch(event.currentTarget.value)}
        />
        {page && <span class="count">{m.total(page.total)}</span>}
      </div>
      {page && page.items.length === 0 ? (
        <p class="empty">{query.q ? m.noMatch : m.empty}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {header('name', m.name)}
                {header('size', m.size)}
                {header('uploadedAt', m.uploaded)}
                <th scope="col">{m.actions}</th>
              </tr>
            </thead>
            <tbody>
              {page?.items.map((file) => (
                <tr key={file.id}>
                  <td class="name">
                    {renaming === file.id ? (
                      <RenameForm
                        value={file.name}
                        label={m.renameLabel(file.name)}
                        maxLength={255}
                        onSave={(name) => void saveName(file, name)}
                        onCancel={() => setRenaming(undefined)}
                      />
                    ) : (
                      file.name
                    )}
                  </td>
                  <td class="num">{formatBytes(file.size)}</td>
                  <td>
                    <time dateTime={file.uploadedAt}>{formatDate(file.uploadedAt)}</time>
                  </td>
                  <td class="actions">
                    <button
                      type="button"
                      onClick={() => setSharing(file)}
                      aria-label={messages.share.openLabel(file.name)}
                    >
                      {messages.share.open}
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => setRenaming(file.id)}
                      aria-label={`${m.rename} ${file.name}`}
                    >
                      {m.rename}
                    </button>
                    <button
                      type="button"
                      class="secondary danger"
                      onClick={() => setDeleting(file)}
                      aria-label={`${m.delete} ${file.name}`}
                    >
                      {m.delete}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={query.page} pages={pages} onPage={(page) => setQuery((c) => ({ ...c, page }))} />
      {sharing && (
        <ShareDialog file={sharing} ownerId={me.id} onClose={() => setSharing(undefined)} />
      )}
      {deleting && (
        <ConfirmDialog
          text={m.confirmDelete(deleting.name)}
          confirm={m.confirmDeleteYes}
          onConfirm={() => void confirmDelete(deleting)}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </section>
  );
}
