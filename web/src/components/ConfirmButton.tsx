import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

/** A button that asks first, in a modal <dialog>: focus moves into it, Escape cancels. */
export function ConfirmButton(props: { label: string; question: ComponentChildren; confirm: string; onConfirm: () => void; disabled?: boolean }) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" class="danger" disabled={props.disabled} onClick={() => dialog.current?.showModal()}>
        {props.label}
      </button>
      <dialog ref={dialog} aria-label={props.label}>
        <form
          method="dialog"
          onSubmit={(event) => {
            if ((event.submitter as HTMLButtonElement | null)?.value === 'yes') props.onConfirm();
          }}
        >
          <p>{props.question}</p>
          <div class="actions">
            <button type="submit" value="no" autofocus>
              Cancel
            </button>
            <button type="submit" value="yes" class="danger">
              {props.confirm}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
