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
import { Pager } from './pager';
import { SectionStatus } from './section-status';
import { TableWrap } from './table-wrap';

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
      {shared && shared.items.length === 0 && <p class="empty">{m.sharedEmpty}</p>}
      {shared && shared.items.length > 0 && (
        <TableWrap label={m.sharedTableLabel}>
          <table>
            <thead>
              <tr>
                <th scope="col">{m.name}</th>
                <th scope="col">{m.sharedBy}</th>
                <th scope="col">{m.files}</th>
                <th scope="col">{m.size}</th>
                <th scope="col">{m.actions}</th>
              </tr>
            </thead>
            <tbody>
              {shared.items.map((bundle) => (
                <tr key={bundle.id} data-testid="shared-bundle-row">
                  <td class="name">{bundle.name}</td>
                  <td>{bundle.owner}</td>
                  <td class="num">{bundle.files.length}</td>
                  <td class="num">{formatBytes(bundle.totalSize)}</td>
                  <td class="actions">
                    <button
                      type="button"
                      class="secondary"
                      aria-label={m.openLabel(bundle.name)}
                      aria-pressed={open === bundle.id}
                      onClick={() => setOpen(open === bundle.id ? undefined : bundle.id)}
                    >
                      {m.open}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
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
      {bundle.files.length === 0 ? (
        <p class="empty">{m.noFiles}</p>
      ) : (
        <>
          <TableWrap label={m.sharedFilesLabel(bundle.name)}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{m.name}</th>
                  <th scope="col">{m.size}</th>
                  <th scope="col">{m.actions}</th>
                </tr>
              </thead>
              <tbody>
                {bundle.files.map((file) => (
                  <tr key={file.id} data-testid="shared-bundle-file">
                    <td class="name">{file.name}</td>
                    <td class="num">{formatBytes(file.size)}</td>
                    <td class="actions">
                      <button
                        type="button"
                        class="secondary"
                        aria-label={m.downloadLabel(file.name)}
                        onClick={() => attempt(downloadFile(file))}
                      >
                        {m.download}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <div class="row start">
            <button
              type="button"
              aria-label={m.downloadAllLabel(bundle.name)}
              onClick={() => attempt(downloadBundleArchive(bundle))}
            >
              {m.downloadAll}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
