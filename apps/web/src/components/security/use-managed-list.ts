import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../api/api-error';

/**
 * A section's list and its actions: loads the list, runs one action at a time, shows the action's
 * notice or the error in the API's words, and reloads the list after each action.
 */
export function useManagedList<T>(
  load: () => Promise<T[]>,
  describeError: (error: unknown) => string = errorText,
) {
  const [items, setItems] = useState<T[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const reload = async () => setItems(await load());

  useEffect(() => {
    reload().catch((caught: unknown) => setError(describeError(caught)));
  }, []);

  /** Runs the action; `reload: false` for one that ends the page's session (nothing to reload). */
  async function run(action: () => Promise<string>, { reload: again = true } = {}): Promise<void> {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const message = await action();
      // The notice appears with the list that shows it done.
      if (again) await reload();
      setNotice(message);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return { items, error, notice, busy, run, reload };
}
