// Copy text: the Wails runtime's clipboard when present (WebKitGTK may not
// expose navigator.clipboard to the app's origin), else the web API.

interface ClipboardRuntime {
  ClipboardSetText?: (text: string) => Promise<boolean>;
}

/** Put text on the system clipboard; resolves false when it could not. */
export async function copyText(text: string): Promise<boolean> {
  const rt = (window as unknown as { runtime?: ClipboardRuntime }).runtime;
  try {
    if (rt?.ClipboardSetText) return await rt.ClipboardSetText(text);
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    return false;
  }
  return false;
}
