import { useEffect, useRef } from 'preact/hooks';
import { messages } from '../messages';

/** A modal <dialog>: focus moves into it and Escape closes it, as the platform does for us. */
export function ConfirmDialog(props: {
  text: string;
  confirm: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="confirm-text" onClose={props.onClose}>
      <p id="confirm-text">{props.text}</p>
      <div class="row">
        <button type="button" class="secondary" onClick={() => ref.current?.close()}>
          {messages.files.cancel}
        </button>
        <button type="button" class="danger" onClick={props.onConfirm}>
          {props.confirm}
        </button>
      </div>
    </dialog>
  );
}
