import { useEffect, useState } from 'preact/hooks';
import { session } from './api/session';

/** Re-renders the caller whenever the session changes (signed in, out, refreshed profile). */
export function useSession() {
  const [state, setState] = useState(session.state);
  useEffect(() => session.subscribe(() => setState(session.state)), []);
  return state;
}
