// Test data shaped exactly like the backend's JSON.
import type { HostStatus, ModelInfo, StatusReport } from '../lib/api';

export const LOCAL = 'http://127.0.0.1:11434';
export const REMOTE = 'http://192.168.1.20:11434';

export function okHost(url = LOCAL, over: Partial<HostStatus> = {}): HostStatus {
  return {
    url,
    state: 'ok',
    reachable: true,
    version: '0.17.4',
    modelCount: 3,
    latencyMs: 12,
    error: '',
    hint: '',
    checkedAt: new Date().toISOString(),
    ...over,
  };
}

export function downHost(url = REMOTE, over: Partial<HostStatus> = {}): HostStatus {
  return {
    url,
    state: 'unreachable',
    reachable: false,
    version: '',
    modelCount: 0,
    latencyMs: 0,
    error: 'dial tcp 192.168.1.20:11434: connect: connection refused',
    hint: 'Start Ollama on that machine (ollama serve), or fix the URL.',
    checkedAt: new Date().toISOString(),
    ...over,
  };
}

export function report(hosts: HostStatus[]): StatusReport {
  return {
    dataDir: '/home/sara/.local/share/wadi',
    dbPath: '/home/sara/.local/share/wadi/wadi.db',
    hosts,
  };
}

export function model(over: Partial<ModelInfo> = {}): ModelInfo {
  return {
    name: 'llama3.2:3b',
    model: 'llama3.2:3b',
    sizeBytes: 2_019_393_189,
    modifiedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    family: 'llama',
    parameterSize: '3.2B',
    quantization: 'Q4_K_M',
    digest: 'a80c4f17acd5',
    ...over,
  };
}

/** A promise plus the functions that settle it. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
