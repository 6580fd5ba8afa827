import { useEffect, useState } from 'preact/hooks';
import { session } from './api/session';

/** Re-renders the caller whenever the session changes (signed in, out, refreshed profile). */
export function useSession() {
  const [state, setState] = useState(session.state);
  useEffect(() => {
    const unsubscribe = session.subscribe(() => setState(session.state));
    // Effects run after paint: the session may have settled between the first render and now,
    // with no one yet listening (a reload whose refresh answered meanwhile stayed on "Loading…").
    setState(session.state);
    return unsubscribe;
  }, []);
  return state;
}
