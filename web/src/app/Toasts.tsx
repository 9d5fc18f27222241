// Short messages at the corner of the screen: an action's answer or its error. Errors are
// announced at once (role=alert), the rest politely.
type T = (key: string) => string;

export interface Toast {
  id: number;
  message: string;
  kind: 'info' | 'error';
}

export function Toasts({ toasts, onDismiss, t }: { toasts: Toast[]; onDismiss: (id: number) => void; t: T }) {
  return (
    <section class="toasts" aria-label={t('toast.region')}>
      <div aria-live="polite" role="log">
        {toasts
          .filter((x) => x.kind === 'info')
          .map((x) => (
            <ToastItem key={x.id} toast={x} onDismiss={onDismiss} t={t} />
          ))}
      </div>
      <div role="alert">
        {toasts
          .filter((x) => x.kind === 'error')
          .map((x) => (
            <ToastItem key={x.id} toast={x} onDismiss={onDismiss} t={t} />
          ))}
      </div>
    </section>
  );
}

function ToastItem({ toast, onDismiss, t }: { toast: Toast; onDismiss: (id: number) => void; t: T }) {
  return (
    <div class={`toast toast-${toast.kind}`}>
      <span>{toast.message}</span>
      <button type="button" class="toast-close" aria-label={t('toast.close')} onClick={() => onDismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}
