// A modal yes/no question on the native <dialog>: focus moves into it and stays there, Escape
// answers no, and focus returns where it was. "Cancel" has the focus first, so that a stray
// Enter never confirms a destructive action.
import { useEffect, useRef } from 'preact/hooks';

type T = (key: string) => string;

export interface ConfirmRequest {
  message: string;
  resolve: (yes: boolean) => void;
}

export function ConfirmDialog({ request, onAnswer, t }: { request: ConfirmRequest; onAnswer: (yes: boolean) => void; t: T }) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      before?.focus?.();
    };
  }, [request]);
  return (
    <dialog
      ref={ref}
      class="confirm"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      onCancel={(e) => {
        e.preventDefault();
        onAnswer(false);
      }}
    >
      <h2 id="confirm-title">{t('confirm.title')}</h2>
      <p id="confirm-message">{request.message}</p>
      <div class="confirm-buttons">
        <button type="button" class="btn" ref={cancelRef} onClick={() => onAnswer(false)}>
          {t('confirm.no')}
        </button>
        <button type="button" class="btn btn-danger" onClick={() => onAnswer(true)}>
          {t('confirm.yes')}
        </button>
      </div>
    </dialog>
  );
}
