import { endSession, endSessions, listSessions } from '../../api/security';
import { session } from '../../api/session';
import { formatDate } from '../../format';
import { messages } from '../../messages';
import { TableWrap } from '../table-wrap';
import { SectionStatus } from '../section-status';
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
      {sessions && (
        <TableWrap label={m.tableLabel}>
          <table>
            <thead>
              <tr>
                <th scope="col">{m.device}</th>
                <th scope="col">{m.address}</th>
                <th scope="col">{m.lastUsed}</th>
                <th scope="col">{m.actions}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((entry) => (
                <tr key={entry.id}>
                  <td class="name">
                    {entry.device.label}{' '}
                    {entry.current && <span class="badge">{m.thisDevice}</span>}
                  </td>
                  <td>{entry.ip ?? m.unknown}</td>
                  <td>
                    <time dateTime={entry.lastUsedAt}>{formatDate(entry.lastUsedAt)}</time>
                  </td>
                  <td class="actions">
                    {!entry.current && (
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy}
                        aria-label={m.endLabel(entry.device.label, entry.ip ?? m.unknown)}
                        onClick={() =>
                          void run(async () => {
                            await endSession(entry.id);
                            return m.ended(entry.device.label);
                          })
                        }
                      >
                        {m.end}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
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
