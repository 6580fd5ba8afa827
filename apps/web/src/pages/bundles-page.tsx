import { useEffect, useState } from 'preact/hooks';
import {
  addBundleFiles,
  type Bundle,
  type BundleFile,
  createBundle,
  createBundleLink,
  deleteBundle,
  listBundleLinks,
  listBundles,
  listBundleShares,
  removeBundleFile,
  revokeBundleShare,
  shareBundle,
  updateBundle,
} from '../api/bundles';
import { listFiles, type StoredFile } from '../api/files';
import { type Group, listGroups } from '../api/groups';
import { type CreatedLink, type LinkPolicy, loadLinkPolicy, revokeLink } from '../api/sharing';
import { BundleFilesTable } from '../components/bundle-files-table';
import { CreateItemForm } from '../components/create-item-form';
import { LinkSection } from '../components/link-section';
import { NamedItemsTable } from '../components/named-items-table';
import { RowAction } from '../components/row-action';
import { SectionStatus } from '../components/section-status';
import { ShareRecipients } from '../components/share-recipients';
import { SharedBundles } from '../components/shared-bundles';
import { useManagedList } from '../components/security/use-managed-list';
import { field } from '../form-field';
import { formatBytes } from '../format';
import { messages } from '../messages';

const m = messages.bundles;
type Run = (action: () => Promise<string>) => Promise<void>;

/** The signed-in person's bundles: named, ordered sets of their files behind one link. */
export function BundlesPage() {
  const { items: bundles, error, notice, busy, run } = useManagedList(listBundles);
  const [open, setOpen] = useState<string>();

  const create = (data: FormData, clear: () => void) => {
    const name = field(data, 'name').trim();
    void run(async () => {
      const bundle = await createBundle(name);
      clear();
      setOpen(bundle.id);
      return m.created(bundle.name);
    });
  };

  const selected = bundles?.find((bundle) => bundle.id === open);

  return (
    <section>
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      <SectionStatus error={error} notice={notice} />
      <CreateItemForm
        id="new-bundle"
        title={m.newTitle}
        submitLabel={m.create}
        busy={busy}
        onCreate={create}
      >
        <label for="bundle-name">{m.name}</label>
        <input id="bundle-name" name="name" type="text" maxLength={200} required />
      </CreateItemForm>
      <NamedItemsTable
        items={bundles}
        labels={{ ...m, deleteConfirm: (bundle) => m.deleteConfirm(bundle.name) }}
        rowTestId="bundle-row"
        nameMaxLength={200}
        columns={[
          { header: m.files, kind: 'num', cell: (bundle) => bundle.files.length },
          { header: m.size, kind: 'num', cell: (bundle) => formatBytes(bundle.totalSize) },
        ]}
        open={open}
        onOpen={setOpen}
        onRename={(bundle, name, close) =>
          void run(async () => {
            const renamed = await updateBundle(bundle.id, { name });
            close();
            return m.renamed(renamed.name);
          })
        }
        onDelete={(bundle) =>
          void run(async () => {
            await deleteBundle(bundle.id);
            return m.deleted(bundle.name);
          })
        }
      />
      {selected && (
        <>
          <BundleContents bundle={selected} busy={busy} run={run} />
          <BundleShares key={`shares-${selected.id}`} bundle={selected} />
          <BundleLinks key={selected.id} bundle={selected} />
        </>
      )}
      <SharedBundles />
    </section>
  );
}

/** One bundle's files in order: add one of the owner's files, move, remove. */
function BundleContents({ bundle, busy, run }: { bundle: Bundle; busy: boolean; run: Run }) {
  const [mine, setMine] = useState<StoredFile[]>([]);
  useEffect(() => {
    listFiles({ q: '', sort: 'name', descending: false, page: 1 }).then(
      (page) => setMine(page.items),
      () => setMine([]),
    );
  }, []);
  const inBundle = new Set(bundle.files.map((file) => file.id));
  const addable = mine.filter((file) => !inBundle.has(file.id));

  const add = (event: SubmitEvent) => {
    event.preventDefault();
    const fileId = field(new FormData(event.currentTarget as HTMLFormElement), 'fileId');
    const file = addable.find((candidate) => candidate.id === fileId);
    void run(async () => {
      await addBundleFiles(bundle.id, [fileId]);
      return m.added(file?.name ?? '');
    });
  };

  const move = (file: BundleFile, by: -1 | 1) => {
    const ids = bundle.files.map((each) => each.id);
    const from = ids.indexOf(file.id);
    ids.splice(from, 1);
    ids.splice(from + by, 0, file.id);
    void run(async () => {
      await updateBundle(bundle.id, { fileIds: ids });
      return m.moved(file.name);
    });
  };

  const last = bundle.files.length - 1;
  return (
    <section class="card wide" aria-labelledby="bundle-contents-title">
      <h2 id="bundle-contents-title">{m.contentsTitle(bundle.name)}</h2>
      {addable.length === 0 ? (
        <p class="empty">{m.noFilesToAdd}</p>
      ) : (
        <form class="inline" onSubmit={add}>
          <label for="bundle-add-file">{m.addFile}</label>
          <select id="bundle-add-file" name="fileId" required>
            {addable.map((file) => (
              <option key={file.id} value={file.id}>
                {file.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy}>
            {m.add}
          </button>
        </form>
      )}
      <BundleFilesTable
        files={bundle.files}
        label={m.filesTableLabel(bundle.name)}
        rowTestId="bundle-file"
        actions={(file, index) => (
          <>
            <RowAction
              label={m.upLabel(file.name)}
              disabled={busy || index === 0}
              onClick={() => move(file, -1)}
            >
              {m.up}
            </RowAction>
            <RowAction
              label={m.downLabel(file.name)}
              disabled={busy || index === last}
              onClick={() => move(file, 1)}
            >
              {m.down}
            </RowAction>
            <RowAction
              label={m.removeLabel(file.name)}
              tone="danger"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await removeBundleFile(bundle.id, file.id);
                  return m.removed(file.name);
                })
              }
            >
              {m.remove}
            </RowAction>
          </>
        )}
      />
    </section>
  );
}

/** Whom the bundle is shared with, through the share dialog's people and group forms. */
function BundleShares({ bundle }: { bundle: Bundle }) {
  const { items: shares, error, notice, run } = useManagedList(() => listBundleShares(bundle.id));
  const [groups, setGroups] = useState<Group[]>([]);
  useEffect(() => {
    listGroups().then(setGroups, () => setGroups([]));
  }, []);

  return (
    <section class="card wide" aria-labelledby="bundle-shares-title">
      <h2 id="bundle-shares-title">{m.sharesTitle(bundle.name)}</h2>
      <p>{m.sharesIntro}</p>
      <SectionStatus error={error} notice={notice} />
      <ShareRecipients
        shares={shares ?? []}
        groups={groups}
        act={run}
        share={(audience) => shareBundle(bundle.id, audience)}
        revoke={(share) => revokeBundleShare(bundle.id, share.id)}
      />
    </section>
  );
}

/** The bundle's links, with the same form and rules as a file's links. */
function BundleLinks({ bundle }: { bundle: Bundle }) {
  const { items: links, error, notice, run } = useManagedList(() => listBundleLinks(bundle.id));
  const [created, setCreated] = useState<CreatedLink>();
  const [policy, setPolicy] = useState<LinkPolicy>();
  const [copied, setCopied] = useState<string>();
  useEffect(() => {
    loadLinkPolicy().then(setPolicy, () => undefined);
  }, []);

  return (
    <section class="card wide" aria-labelledby="bundle-links-title">
      <h2 id="bundle-links-title">{m.linksTitle(bundle.name)}</h2>
      <SectionStatus error={error} notice={copied ?? notice} />
      <LinkSection
        policy={policy}
        links={links ?? []}
        created={created}
        onCreate={(link) =>
          void run(async () => {
            setCopied(undefined);
            setCreated(await createBundleLink(bundle.id, link));
            return messages.share.created;
          })
        }
        onRevoke={(link) =>
          void run(async () => {
            setCopied(undefined);
            await revokeLink(link.id);
            return m.revoked;
          })
        }
        onCopied={() => setCopied(messages.share.copied)}
      />
    </section>
  );
}
