// Checks of the Import GGUF form before anything is sent to the backend.

/** An Ollama model name: [host/][namespace/]model[:tag]. */
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/;

/** The problem with a model name, or null if it is fine. */
export function nameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return 'name: give the model a name, for example my-model:q4.';
  if (!NAME_RE.test(n))
    return `name: "${n}" is not a valid model name (letters, digits, ".", "_", "-", an optional ":tag").`;
  return null;
}

/** The problem with a file path, or null if it is fine. */
export function pathProblem(path: string): string | null {
  if (!path.trim()) return 'file: choose a .gguf file.';
  return null;
}

export type ParsedParameters = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

function scalar(raw: string): unknown {
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(raw)) return Number(raw);
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1);
  return raw;
}

/**
 * Parse parameters written as in a Modelfile, one `name value` per line
 * (e.g. `temperature 0.7`, `stop "<|end|>"`). Blank lines and `#` comments
 * are skipped; a name given more than once becomes a list (as `stop` needs).
 */
export function parseParameters(text: string): ParsedParameters {
  const value: Record<string, unknown> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.+)$/.exec(line);
    if (!m || m[1] === undefined || m[2] === undefined) {
      return { ok: false, error: `parameters, line ${i + 1}: expected "name value", got "${line}".` };
    }
    const key = m[1];
    const v = scalar(m[2].trim());
    const prev = value[key];
    if (prev === undefined) value[key] = v;
    else value[key] = Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return { ok: true, value };
}
