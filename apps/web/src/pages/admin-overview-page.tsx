import { useEffect, useState } from 'preact/hooks';
import { type InstanceStats, loadStats } from '../api/admin';
import { errorText } from '../api/api-error';
import { ActivityChart } from '../components/activity-chart';
import { DataTable } from '../components/data-table';
import { ErrorAlert } from '../components/error-alert';
import { formatBytes } from '../format';
import { locale, messages } from '../messages';

const m = messages.admin.overview;
const DAYS = 30;
const count = new Intl.NumberFormat(locale);

/** The instance at a glance (admins): what is stored, by whom, and how busy the last month was. */
export function AdminOverviewPage() {
  const [stats, setStats] = useState<InstanceStats>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    loadStats(DAYS).then(setStats, (caught: unknown) => setError(errorText(caught)));
  }, []);

  const uploads = stats?.daily.reduce((sum, day) => sum + day.uploads, 0) ?? 0;
  const bytes = stats?.daily.reduce((sum, day) => sum + day.bytes, 0) ?? 0;

  return (
    <section>
      <h1>{m.title}</h1>
      <ErrorAlert message={error} />
      {stats && (
        <>
          <dl class="figures">
            <div>
              <dt>{m.users}</dt>
              <dd>{count.format(stats.users)}</dd>
            </div>
            <div>
              <dt>{m.files}</dt>
              <dd>{count.format(stats.files)}</dd>
            </div>
            <div>
              <dt>{m.stored}</dt>
              <dd>{formatBytes(stats.bytesStored)}</dd>
            </div>
          </dl>
          <h2>{m.activityTitle(stats.days)}</h2>
          <p class="muted">{m.activitySummary(uploads, formatBytes(bytes))}</p>
          <ActivityChart daily={stats.daily} />
          <h2>{m.topTitle}</h2>
          <DataTable
            rows={stats.topUsers}
            rowKey={(user) => user.id}
            label={m.topTableLabel}
            empty={m.noTop}
            columns={[
              { header: m.account, kind: 'name', cell: (user) => user.email },
              { header: m.stored, kind: 'num', cell: (user) => formatBytes(user.storageUsed) },
              {
                header: m.quota,
                kind: 'num',
                cell: (user) => (user.quota === null ? m.noQuota : formatBytes(user.quota)),
              },
            ]}
          />
        </>
      )}
    </section>
  );
}
