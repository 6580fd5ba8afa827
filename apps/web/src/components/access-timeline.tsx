import type { AccessEvent, Link } from '../api/sharing';
import { formatDate } from '../format';
import { messages } from '../messages';

const m = messages.share;

/** The file's access ledger, newest first: who fetched the bytes, when, from where. */
export function AccessTimeline(props: {
  events: AccessEvent[];
  total: number;
  /** The people it is shared with, directly or as members of a group it is shared with. */
  recipients: { userId: string; email: string }[];
  links: Link[];
  ownerId: string;
}) {
  if (props.events.length === 0) return <p class="empty">{m.noActivity}</p>;
  const emails = new Map(props.recipients.map((person) => [person.userId, person.email]));
  const links = new Map(props.links.map((link) => [link.id, link]));
  const who = (event: AccessEvent) => {
    if (event.type === 'link_downloaded') {
      if (event.recipient) return m.byRecipient(event.recipient);
      const link = event.linkId ? links.get(event.linkId) : undefined;
      return m.byLink(link && formatDate(link.createdAt));
    }
    const person =
      event.userId === props.ownerId ? m.byYou : (emails.get(event.userId ?? '') ?? m.byAccount);
    return m.byPerson(person);
  };
  return (
    <>
      <ol class="timeline" data-testid="activity">
        {props.events.map((event, index) => (
          <li key={`${event.at}-${index}`}>
            <time dateTime={event.at}>{formatDate(event.at)}</time>
            <span>
              {who(event)}
              {event.ip && ` ${m.from(event.ip)}`}
              {event.outcome === 'failure' && ` (${m.failed})`}
            </span>
          </li>
        ))}
      </ol>
      {props.total > props.events.length && (
        <p class="empty">{m.moreActivity(props.events.length, props.total)}</p>
      )}
    </>
  );
}
