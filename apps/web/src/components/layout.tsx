import type { ComponentChildren } from 'preact';
import { session } from '../api/session';
import { messages } from '../messages';
import { useSession } from '../use-session';

const m = messages;

export function Layout({ children }: { children: ComponentChildren }) {
  const state = useSession();
  return (
    <>
      <a class="skip" href="#main">
        {m.skipToContent}
      </a>
      <header class="top">
        <a class="brand" href="/">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          {m.appName}
        </a>
        {state.status === 'signed-in' && (
          <nav aria-label={m.nav.label}>
            <a href="/files">{m.nav.files}</a>
            <span class="who">{m.nav.signedInAs(state.me.email)}</span>
            <button type="button" class="link" onClick={() => void session.signOut()}>
              {m.nav.signOut}
            </button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
