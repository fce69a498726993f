// Chat keyboard shortcuts: Ctrl+K search, Ctrl+N new chat (Cmd on macOS),
// Esc stops a running answer.

export type ChatShortcut = 'search' | 'new' | 'stop';

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The chat action for a key press, or null. */
export function chatShortcut(e: KeyboardEvent, mac = isMac()): ChatShortcut | null {
  const mod = mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  if (mod && !e.altKey && !e.shiftKey) {
    const k = e.key.toLowerCase();
    if (k === 'k') return 'search';
    if (k === 'n') return 'new';
  }
  if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey) return 'stop';
  return null;
}
