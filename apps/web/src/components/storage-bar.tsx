import type { Me } from '../api/session';
import { formatBytes } from '../format';
import { messages } from '../messages';

const m = messages.files;

export function StorageBar({ me }: { me: Me }) {
  const used = formatBytes(me.storageUsed);
  return (
    <div class="storage">
      <span id="storage-label">{m.storage}</span>
      {me.quota !== null && (
        <meter
          aria-labelledby="storage-label"
          min={0}
          max={me.quota}
          value={me.storageUsed}
          high={me.quota * 0.9}
        />
      )}
      <span>
        {me.quota === null ? m.storageUnlimited(used) : m.storageUsed(used, formatBytes(me.quota))}
      </span>
    </div>
  );
}
