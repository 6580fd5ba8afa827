import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../api/api-error';
import {
  type Bundle,
  type BundlePage,
  downloadBundleArchive,
  listSharedBundles,
  SHARED_PAGE_SIZE,
} from '../api/bundles';
import { downloadFile } from '../api/files';
import { formatBytes } from '../format';
import { messages } from '../messages';
import { BundleFilesTable } from './bundle-files-table';
import { DataTable } from './data-table';
import { Pager } from './pager';
import { RowAction } from './row-action';
import { SectionStatus } from './section-status';

const m = messages.bundles;

/** Other people's bundles shared with the signed-in person: open one, download a file or all. */
export function SharedBundles() {
  const [page, setPage] = useState(1);
  const [shared, setShared] = useState<BundlePage>();
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    listSharedBundles(page).then(setShared, (caught: unknown) => setError(errorText(caught)));
  }, [page]);

  const attempt = (download: Promise<void>) => {
    setError(undefined);
    download.catch((caught: unknown) => setError(errorText(caught)));
  };

  const selected = shared?.items.find((bundle) => bundle.id === open);

  return (
    <section class="card wide" aria-labelledby="shared-bundles-title">
      <h2 id="shared-bundles-title">{m.sharedTitle}</h2>
      <SectionStatus error={error} />
      <DataTable
        rows={shared?.items}
        rowKey={(bundle) => bundle.id}
        rowTestId="shared-bundle-row"
        label={m.sharedTableLabel}
        empty={m.sharedEmpty}
        columns={[
          { header: m.name, kind: 'name', cell: (bundle) => bundle.name },
          { header: m.sharedBy, cell: (bundle) => bundle.owner },
          { header: m.files, kind: 'num', cell: (bundle) => bundle.files.length },
          { header: m.size, kind: 'num', cell: (bundle) => formatBytes(bundle.totalSize) },
          {
            header: m.actions,
            kind: 'actions',
            cell: (bundle) => (
              <RowAction
                label={m.openLabel(bundle.name)}
                pressed={open === bundle.id}
                onClick={() => setOpen(open === bundle.id ? undefined : bundle.id)}
              >
                {m.open}
              </RowAction>
            ),
          },
        ]}
      />
      {shared && (
        <Pager
          page={page}
          pages={Math.ceil(shared.total / SHARED_PAGE_SIZE)}
          onPage={(next) => {
            setOpen(undefined);
            setPage(next);
          }}
        />
      )}
      {selected && <SharedBundleFiles bundle={selected} attempt={attempt} />}
    </section>
  );
}

function SharedBundleFiles({
  bundle,
  attempt,
}: {
  bundle: Bundle;
  attempt: (download: Promise<void>) => void;
}) {
  return (
    <section class="panel" aria-labelledby="shared-bundle-files-title">
      <h3 id="shared-bundle-files-title">{m.sharedFilesTitle(bundle.name, bundle.owner ?? '')}</h3>
      <BundleFilesTable
        files={bundle.files}
        label={m.sharedFilesLabel(bundle.name)}
        rowTestId="shared-bundle-file"
        actions={(file) => (
          <RowAction label={m.downloadLabel(file.name)} onClick={() => attempt(downloadFile(file))}>
            {m.download}
          </RowAction>
        )}
      />
      {bundle.files.length > 0 && (
        <div class="row start">
          <button
            type="button"
            aria-label={m.downloadAllLabel(bundle.name)}
            onClick={() => attempt(downloadBundleArchive(bundle))}
          >
            {m.downloadAll}
          </button>
        </div>
      )}
    </section>
  );
}
