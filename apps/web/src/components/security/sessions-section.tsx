import { endSession, endSessions, listSessions } from '../../api/security';
import { session } from '../../api/session';
import { messages } from '../../messages';
import { DataTable } from '../data-table';
import { RowAction } from '../row-action';
import { SectionStatus } from '../section-status';
import { Timestamp } from '../timestamp';
import { useManagedList } from './use-managed-list';

const m = messages.security.sessions;

/** Where the account is signed in; any session can be ended, or all of them at once. */
export function SessionsSection() {
  const { items: sessions, error, notice, busy, run } = useManagedList(listSessions);

  return (
    <section class="panel" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{m.title}</h2>
      <p>{m.intro}</p>
      <SectionStatus error={error} notice={notice} />
      <DataTable
        rows={sessions}
        rowKey={(entry) => entry.id}
        label={m.tableLabel}
        columns={[
          {
            header: m.device,
            kind: 'name',
            cell: (entry) => (
              <>
                {entry.device.label} {entry.current && <span class="badge">{m.thisDevice}</span>}
              </>
            ),
          },
          { header: m.address, cell: (entry) => entry.ip ?? m.unknown },
          { header: m.lastUsed, cell: (entry) => <Timestamp at={entry.lastUsedAt} /> },
          {
            header: m.actions,
            kind: 'actions',
            cell: (entry) =>
              !entry.current && (
                <RowAction
                  label={m.endLabel(entry.device.label, entry.ip ?? m.unknown)}
                  disabled={busy}
                  onClick={() =>
                    void run(async () => {
                      await endSession(entry.id);
                      return m.ended(entry.device.label);
                    })
                  }
                >
                  {m.end}
                </RowAction>
              ),
          },
        ]}
      />
      <p class="row start">
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await endSessions(true);
              return m.endedOthers;
            })
          }
        >
          {m.endOthers}
        </button>
        <button
          type="button"
          class="danger"
          disabled={busy}
          onClick={() =>
            void run(
              async () => {
                await endSessions(false);
                await session.signOut(m.endedAll);
                return m.endedAll;
              },
              { reload: false },
            )
          }
        >
          {m.endAll}
        </button>
      </p>
    </section>
  );
}
