import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api/api-error';
import { downloadFile, type FilePage, listFiles, type StoredFile } from '../api/files';
import { DataTable } from '../components/data-table';
import { ErrorAlert } from '../components/error-alert';
import { RowAction } from '../components/row-action';
import { Timestamp } from '../components/timestamp';
import { formatBytes } from '../format';
import { messages } from '../messages';

const m = messages.shared;

/** Files other people shared with the signed-in person. */
export function SharedPage() {
  const [page, setPage] = useState<FilePage>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    listFiles({ q: '', sort: 'uploadedAt', descending: true, page: 1 }, 'shared').then(
      setPage,
      (caught: unknown) => setError(errorText(caught)),
    );
  }, []);

  const download = (file: StoredFile) =>
    downloadFile(file).catch((caught: unknown) => setError(errorText(caught)));

  return (
    <section>
      <h1>{m.title}</h1>
      <ErrorAlert message={error} />
      <DataTable
        rows={page?.items}
        rowKey={(file) => file.id}
        label={m.tableLabel}
        empty={m.empty}
        columns={[
          { header: messages.files.name, kind: 'name', cell: (file) => file.name },
          { header: m.sharedBy, cell: (file) => file.ownerEmail },
          { header: messages.files.size, kind: 'num', cell: (file) => formatBytes(file.size) },
          { header: messages.files.uploaded, cell: (file) => <Timestamp at={file.uploadedAt} /> },
          {
            header: messages.files.actions,
            kind: 'actions',
            cell: (file) => (
              <RowAction label={m.downloadLabel(file.name)} onClick={() => void download(file)}>
                {m.download}
              </RowAction>
            ),
          },
        ]}
      />
    </section>
  );
}
