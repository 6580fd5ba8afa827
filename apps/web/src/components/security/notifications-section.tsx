import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../api/api-error';
import { loadPreferences, type Preferences, savePreferences } from '../../api/security';
import { messages } from '../../messages';
import { SectionStatus } from '../section-status';

const m = messages.security.notifications;

/** The e-mails a person asked for; each box saves as it changes, the server's answer is shown. */
export function NotificationsSection() {
  const [preferences, setPreferences] = useState<Preferences>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadPreferences().then(setPreferences, (caught: unknown) => setError(errorText(caught)));
  }, []);

  async function save(before: Preferences, change: Partial<Preferences>) {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    // The box shows the choice at once; a refusal puts it back.
    setPreferences({ ...before, ...change });
    try {
      const saved = await savePreferences(change);
      setPreferences(saved);
      setNotice(saved.notifyOnLinkDownload ? m.linkDownloadOn : m.linkDownloadOff);
    } catch (caught) {
      setPreferences(before);
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="notifications-title">
      <h2 id="notifications-title">{m.title}</h2>
      <p>{m.intro}</p>
      <SectionStatus error={error} notice={notice} />
      {preferences && (
        <label class="check">
          <input
            type="checkbox"
            checked={preferences.notifyOnLinkDownload}
            disabled={busy}
            onChange={(event) =>
              void save(preferences, { notifyOnLinkDownload: event.currentTarget.checked })
            }
          />
          {m.linkDownload}
        </label>
      )}
    </section>
  );
}
