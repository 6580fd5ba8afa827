import { formatBytes, formatDuration } from '../format';
import { messages } from '../messages';

const m = messages.upload;

export interface UploadItem {
  key: number;
  name: string;
  size: number;
  sent: number;
  /** When and from which offset this run of the upload began (a resume starts a new run). */
  startedAt: number;
  startOffset: number;
  offline?: boolean;
  state: 'sending' | 'done' | 'failed' | 'cancelled';
  error?: string;
  cancel: () => void;
}

function progressText(item: UploadItem): string {
  if (item.offline) return m.offline;
  const seconds = (performance.now() - item.startedAt) / 1000;
  const speed = seconds > 0 ? (item.sent - item.startOffset) / seconds : 0;
  if (item.sent === 0 || speed <= 0) return m.waiting;
  const left = (item.size - item.sent) / speed;
  return m.progress(
    formatBytes(item.sent),
    formatBytes(item.size),
    formatBytes(speed),
    formatDuration(left),
  );
}

/** One row per file: a progress bar, bytes, speed and time left, and a cancel button. */
export function UploadList({ items, onDismiss }: { items: UploadItem[]; onDismiss: () => void }) {
  if (items.length === 0) return null;
  return (
    <section class="uploads" aria-label={m.listLabel}>
      <ul>
        {items.map((item) => (
          <li key={item.key} class={`upload ${item.state}`} data-testid="upload">
            <span class="upload-name">{item.name}</span>
            <progress value={item.sent} max={item.size || 1} aria-label={item.name} />
            <span class="upload-status" aria-live="polite">
              {item.state === 'sending' && progressText(item)}
              {item.state === 'done' && m.done}
              {item.state === 'cancelled' && m.cancelled}
            </span>
            {item.state === 'failed' && (
              <span class="alert error" role="alert">
                {item.error}
              </span>
            )}
            {item.state === 'sending' && (
              <button
                type="button"
                class="secondary"
                aria-label={m.cancelLabel(item.name)}
                onClick={item.cancel}
              >
                {m.cancel}
              </button>
            )}
          </li>
        ))}
      </ul>
      {items.some((item) => item.state !== 'sending') && (
        <button type="button" class="secondary" onClick={onDismiss}>
          {m.dismiss}
        </button>
      )}
    </section>
  );
}
