import type { IconName } from './icons';

export type PageId = 'chats' | 'models' | 'documents' | 'compare' | 'settings';

export interface NavItem {
  id: PageId;
  label: string;
  icon: IconName;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'chats', label: 'Chats', icon: 'chats' },
  { id: 'models', label: 'Models', icon: 'models' },
  { id: 'documents', label: 'Documents', icon: 'documents' },
  { id: 'compare', label: 'Compare', icon: 'compare' },
  { id: 'settings', label: 'Settings', icon: 'settings' },
];

export const DEFAULT_PAGE: PageId = 'chats';

/** Window event asking the app shell to show a page (detail: its PageId). */
export const NAVIGATE_EVENT = 'wadi:navigate';

/** Ask the app shell to show `page` (a link from inside another page). */
export function requestPage(page: PageId): void {
  window.dispatchEvent(new CustomEvent<PageId>(NAVIGATE_EVENT, { detail: page }));
}

/** Ctrl/Cmd + 1..5 opens the nth page; null for any other key. */
export function pageForShortcut(event: KeyboardEvent): PageId | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return null;
  const index = Number.parseInt(event.key, 10) - 1;
  if (!Number.isInteger(index) || index < 0) return null;
  return NAV_ITEMS[index]?.id ?? null;
}
