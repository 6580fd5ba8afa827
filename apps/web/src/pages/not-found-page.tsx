import { messages } from '../messages';

const m = messages.notFound;

export function NotFoundPage() {
  return (
    <section class="card">
      <h1>{m.title}</h1>
      <p>{m.body}</p>
      <a href="/files">{m.home}</a>
    </section>
  );
}
