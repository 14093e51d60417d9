/**
 * The short message after an action: "変更を保存しました" after a save, or what went wrong. One
 * at a time, at the top of the screen, gone after a few seconds.
 */
import { signal } from '@preact/signals';

type Toast = { kind: 'done' | 'problem'; text: string; id: number } | null;

const current = signal<Toast>(null);
let next = 1;

function show(kind: 'done' | 'problem', text: string) {
  const id = next++;
  current.value = { kind, text, id };
  window.setTimeout(() => {
    if (current.value?.id === id) current.value = null;
  }, 5000);
}

const toast = {
  done: (text: string) => show('done', text),
  problem: (text: string) => show('problem', text),
};

export const useToast = () => toast;

export function ToastView() {
  const shown = current.value;
  if (shown === null) return null;
  return (
    <div
      class={`toast ${shown.kind}`}
      role={shown.kind === 'problem' ? 'alert' : 'status'}
      data-testid="toast"
    >
      {shown.text}
    </div>
  );
}
