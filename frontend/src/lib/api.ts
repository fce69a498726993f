// The one door between the web UI and the Go backend.
//
// Wails v2 exposes bound Go methods as
// `window.go.desktop.App.<Method>(...args): Promise<T>`; a Go error rejects the
// promise with its message as a plain string. Every call made by the UI goes
// through the typed wrappers below, which
//   - reject with BackendUnavailableError when `window.go` is missing
//     (a plain browser, or unit tests),
//   - turn string rejections into Error objects,
//   - give up after a timeout instead of spinning forever,
//   - turn Go's `null` slices into empty arrays.

export interface VersionInfo {
  version: string;
  commit: string;
  goVersion: string;
  os: string;
  arch: string;
}

export type HostState =
  | 'ok'
  | 'unreachable'
  | 'timeout'
  | 'bad_response'
  | 'bad_url'
  | 'http_error';

export interface HostStatus {
  url: string;
  state: HostState;
  reachable: boolean;
  version: string;
  modelCount: number;
  latencyMs: number;
  error: string;
  hint: string;
  checkedAt: string;
}

/** Which Ollama serves Wadi: a system one, Wadi's built-in engine, or none. */
export interface EngineInfo {
  kind: 'system' | 'builtin' | 'none' | '';
  url: string;
  binary: string;
  note: string;
}

export interface StatusReport {
  dataDir: string;
  dbPath: string;
  hosts: HostStatus[];
  engine?: EngineInfo;
}

export interface ModelInfo {
  name: string;
  model: string;
  sizeBytes: number;
  modifiedAt: string;
  family: string;
  parameterSize: string;
  quantization: string;
  digest: string;
}

/** The methods bound on `window.go.desktop.App`, exactly as Go exposes them. */
export interface DesktopApp {
  Version(): Promise<VersionInfo>;
  Status(): Promise<StatusReport>;
  Hosts(): Promise<string[]>;
  AddHost(url: string): Promise<string[]>;
  RemoveHost(url: string): Promise<string[]>;
  Models(host: string): Promise<ModelInfo[]>;
}

declare global {
  interface Window {
    go?: {
      desktop?: {
        App?: Partial<DesktopApp>;
      };
    };
  }
}

export const BACKEND_UNAVAILABLE = 'Wadi backend not available';

/** Raised when the page runs without the Wails bridge (plain browser, tests). */
export class BackendUnavailableError extends Error {
  constructor() {
    super(BACKEND_UNAVAILABLE);
    this.name = 'BackendUnavailableError';
  }
}

/** Raised by withTimeout when a call does not settle in time. */
export class TimeoutError extends Error {
  constructor(label: string, ms: number) {
    super(`${label} did not answer within ${Math.round(ms / 1000)} s`);
    this.name = 'TimeoutError';
  }
}

/** Default time a backend call may take before the UI reports an error. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Settle with `promise`, or reject with a TimeoutError after `ms`.
 * The timer is always cleared, so nothing keeps running after settling.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number = DEFAULT_TIMEOUT_MS,
  label = 'The backend',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(label, ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (reason: unknown) => {
        clearTimeout(timer);
        reject(toError(reason));
      },
    );
  });
}

/** Normalise anything a promise may reject with into an Error. */
export function toError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  if (typeof reason === 'string') return new Error(reason || 'Unknown error');
  if (reason && typeof reason === 'object' && 'message' in reason) {
    const message = (reason as { message: unknown }).message;
    if (typeof message === 'string' && message) return new Error(message);
  }
  return new Error('Unknown error');
}

/** The message to show a person for a failed call. */
export function errorMessage(reason: unknown): string {
  return toError(reason).message;
}

export function isBackendUnavailable(reason: unknown): boolean {
  return reason instanceof BackendUnavailableError;
}

type Method = keyof DesktopApp;
type Result<M extends Method> = Awaited<ReturnType<DesktopApp[M]>>;

function call<M extends Method>(
  method: M,
  args: Parameters<DesktopApp[M]>,
  ms: number = DEFAULT_TIMEOUT_MS,
): Promise<Result<M>> {
  const app = typeof window === 'undefined' ? undefined : window.go?.desktop?.App;
  const fn: unknown = app?.[method];
  if (!app || typeof fn !== 'function') return Promise.reject(new BackendUnavailableError());
  let pending: Promise<Result<M>>;
  try {
    // Call it as a method of App, as Wails' generated bindings expect.
    pending = Promise.resolve(
      (fn as (...a: Parameters<DesktopApp[M]>) => Promise<Result<M>>).apply(app, args),
    );
  } catch (err) {
    return Promise.reject(toError(err));
  }
  return withTimeout(pending, ms, `${method}()`);
}

function list<T>(value: T[] | null | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

export async function getVersion(): Promise<VersionInfo> {
  return call('Version', []);
}

export async function getStatus(): Promise<StatusReport> {
  const report = await call('Status', []);
  return {
    dataDir: report?.dataDir ?? '',
    dbPath: report?.dbPath ?? '',
    hosts: list(report?.hosts),
    engine: report?.engine,
  };
}

export async function getHosts(): Promise<string[]> {
  return list(await call('Hosts', []));
}

export async function addHost(url: string): Promise<string[]> {
  return list(await call('AddHost', [url]));
}

export async function removeHost(url: string): Promise<string[]> {
  return list(await call('RemoveHost', [url]));
}

export async function getModels(host: string): Promise<ModelInfo[]> {
  return list(await call('Models', [host]));
}

/**
 * Call any bound method by name. Area modules (src/lib/api/<area>.ts) use this
 * for the methods they add, with their own types, so this file stays small.
 */
export function invokeApp<T>(
  method: string,
  args: unknown[] = [],
  ms: number = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  const app =
    typeof window === 'undefined'
      ? undefined
      : (window.go?.desktop?.App as Record<string, unknown> | undefined);
  const fn = app?.[method];
  if (!app || typeof fn !== 'function') return Promise.reject(new BackendUnavailableError());
  let pending: Promise<T>;
  try {
    pending = Promise.resolve((fn as (...a: unknown[]) => Promise<T>).apply(app, args));
  } catch (err) {
    return Promise.reject(toError(err));
  }
  return withTimeout(pending, ms, `${method}()`);
}

interface WailsRuntime {
  EventsOn(name: string, cb: (...data: unknown[]) => void): () => void;
}

/**
 * Subscribe to a backend event (Go's Emitter.Emit). Returns the unsubscribe
 * function; without the Wails runtime (tests, plain browser) it does nothing.
 */
export function onBackendEvent<T>(name: string, cb: (data: T) => void): () => void {
  const rt =
    typeof window === 'undefined'
      ? undefined
      : (window as unknown as { runtime?: WailsRuntime }).runtime;
  if (!rt || typeof rt.EventsOn !== 'function') return () => {};
  return rt.EventsOn(name, (...data: unknown[]) => cb(data[0] as T));
}
