import { useState } from 'preact/hooks';
import { messages } from '../messages';
import { saveBlob } from '../save-blob';

const m = messages.recoveryCodes;

/**
 * The recovery codes, shown once: the person copies or downloads them and says they saved them
 * before going on, since nothing can show them again.
 */
export function RecoveryCodes({
  codes,
  onDone,
  Heading = 'h2',
}: {
  codes: string[];
  onDone: () => void;
  /** The level below the heading of whatever holds the codes. */
  Heading?: 'h2' | 'h3';
}) {
  const [saved, setSaved] = useState(false);
  const [notice, setNotice] = useState<string>();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setNotice(m.copied);
    } catch {
      setNotice(m.copyFailed);
    }
  };
  const download = () =>
    saveBlob(new Blob([m.fileText(codes)], { type: 'text/plain;charset=utf-8' }), m.fileName);

  return (
    <div class="recovery-codes">
      <Heading id="recovery-title">{m.title}</Heading>
      <p>{m.intro}</p>
      <ol class="codes" aria-labelledby="recovery-title" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div class="row start">
        <button type="button" class="secondary" onClick={() => void copy()}>
          {m.copy}
        </button>
        <button type="button" class="secondary" onClick={download}>
          {m.download}
        </button>
      </div>
      <p class="notice" role="status">
        {notice}
      </p>
      <label class="check">
        <input
          type="checkbox"
          checked={saved}
          onChange={(event) => setSaved(event.currentTarget.checked)}
        />
        {m.saved}
      </label>
      <button type="button" disabled={!saved} onClick={onDone}>
        {m.continue}
      </button>
    </div>
  );
}
