import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api/api-error';
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
import { type Column, DataTable } from '../components/data-table';
import { ListSearch } from '../components/list-search';
import { RenameForm } from '../components/rename-form';
import { RowAction } from '../components/row-action';
import { SectionStatus } from '../components/section-status';
import { ShareDialog } from '../components/share-dialog';
import { StorageBar } from '../components/storage-bar';
import { Timestamp } from '../components/timestamp';
import { type UploadItem, UploadList } from '../components/upload-list';
import { formatBytes } from '../format';
import { messages } from '../messages';
import { useListQuery } from '../use-list-query';
import { Pager } from '../components/pager';

const m = messages.files;
let uploadKey = 0;

export function FilesPage({ me }: { me: Me }) {
  const { search, setSearch, query, setQuery } = useListQuery<ListQuery>({
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

  /** A column the list sorts by when its header is pressed (again: the other way round). */
  const sortable = (
    field: SortField,
    label: string,
    rest: Omit<Column<StoredFile>, 'header' | 'sort'>,
  ): Column<StoredFile> => {
    const active = query.sort === field;
    return {
      ...rest,
      sort: active ? (query.descending ? 'descending' : 'ascending') : 'none',
      header: (
        <button
          type="button"
          class="sort"
          onClick={() => sortBy(field)}
          aria-label={m.sortBy(label)}
        >
          {label}
          <span aria-hidden="true">{active ? (query.descending ? ' ↓' : ' ↑') : ''}</span>
        </button>
      ),
    };
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
      <SectionStatus error={error} notice={notice} />
      <ListSearch
        id="search"
        label={m.search}
        value={search}
        onInput={setSearch}
        count={page && m.total(page.total)}
      />
      <DataTable
        rows={page?.items}
        rowKey={(file) => file.id}
        label={m.tableLabel}
        empty={query.q ? m.noMatch : m.empty}
        columns={[
          sortable('name', m.name, {
            kind: 'name',
            cell: (file) =>
              renaming === file.id ? (
                <RenameForm
                  value={file.name}
                  label={m.renameLabel(file.name)}
                  maxLength={255}
                  onSave={(name) => void saveName(file, name)}
                  onCancel={() => setRenaming(undefined)}
                />
              ) : (
                file.name
              ),
          }),
          sortable('size', m.size, { kind: 'num', cell: (file) => formatBytes(file.size) }),
          sortable('uploadedAt', m.uploaded, {
            cell: (file) => <Timestamp at={file.uploadedAt} />,
          }),
          {
            header: m.actions,
            kind: 'actions',
            cell: (file) => (
              <>
                <RowAction
                  label={messages.share.openLabel(file.name)}
                  tone="primary"
                  onClick={() => setSharing(file)}
                >
                  {messages.share.open}
                </RowAction>
                <RowAction label={`${m.rename} ${file.name}`} onClick={() => setRenaming(file.id)}>
                  {m.rename}
                </RowAction>
                <RowAction
                  label={`${m.delete} ${file.name}`}
                  tone="danger"
                  onClick={() => setDeleting(file)}
                >
                  {m.delete}
                </RowAction>
              </>
            ),
          },
        ]}
      />
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
