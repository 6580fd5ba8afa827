import { messages } from '../messages';

const m = messages.setup;

/** First run: nobody can sign in yet, so say exactly how the first administrator is made. */
export function SetupPage() {
  return (
    <section class="card wide">
      <h1>{m.title}</h1>
      <p>{m.intro}</p>
      <h2>{m.envTitle}</h2>
      <p>{m.envBody}</p>
      <h2>{m.cliTitle}</h2>
      <p>{m.cliBody}</p>
      <pre>
        <code>{m.cliCommand}</code>
      </pre>
      <p>{m.then}</p>
      <button type="button" onClick={() => location.reload()}>
        {m.reload}
      </button>
    </section>
  );
}
