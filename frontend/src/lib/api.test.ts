import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addHost,
  BackendUnavailableError,
  DEFAULT_TIMEOUT_MS,
  getHosts,
  getModels,
  getStatus,
  getVersion,
  isBackendUnavailable,
  removeHost,
  TimeoutError,
  withTimeout,
  type DesktopApp,
} from './api';
import { okHost, report } from '../test/fixtures';

function installBackend(app: Partial<DesktopApp>) {
  vi.stubGlobal('go', { desktop: { App: app } });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('api without the Wails bridge', () => {
  it('rejects every call with a clear "Wadi backend not available" error', async () => {
    expect(window.go).toBeUndefined();
    for (const call of [getVersion, getStatus, getHosts, () => addHost('x'), () => getModels('x')]) {
      const err = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BackendUnavailableError);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toBe('Wadi backend not available');
      expect(isBackendUnavailable(err)).toBe(true);
    }
  });

  it('treats a bridge without the method as unavailable', async () => {
    installBackend({});
    await expect(getHosts()).rejects.toThrow('Wadi backend not available');
  });
});

describe('api with the Wails bridge', () => {
  it('calls window.go.desktop.App methods with their arguments, as methods of App', async () => {
    const app = {
      AddHost: vi.fn(function (this: unknown, url: string) {
        expect(this).toBe(app);
        return Promise.resolve([url]);
      }),
    };
    installBackend(app);
    await expect(addHost('http://10.0.0.2:11434')).resolves.toEqual(['http://10.0.0.2:11434']);
    expect(app.AddHost).toHaveBeenCalledWith('http://10.0.0.2:11434');
  });

  it('returns typed results unchanged', async () => {
    const status = report([okHost()]);
    installBackend({
      Status: () => Promise.resolve(status),
      Version: () =>
        Promise.resolve({ version: '0.1.0', commit: 'abc', goVersion: 'go1.26', os: 'linux', arch: 'amd64' }),
    });
    await expect(getStatus()).resolves.toEqual(status);
    await expect(getVersion()).resolves.toMatchObject({ version: '0.1.0', commit: 'abc' });
  });

  it('turns Go nil slices (null) into empty arrays', async () => {
    installBackend({
      Hosts: () => Promise.resolve(null as unknown as string[]),
      RemoveHost: () => Promise.resolve(null as unknown as string[]),
      Models: () => Promise.resolve(null as unknown as []),
      Status: () => Promise.resolve({ dataDir: '/d', dbPath: '/d/db', hosts: null } as never),
    });
    await expect(getHosts()).resolves.toEqual([]);
    await expect(removeHost('x')).resolves.toEqual([]);
    await expect(getModels('x')).resolves.toEqual([]);
    await expect(getStatus()).resolves.toEqual({ dataDir: '/d', dbPath: '/d/db', hosts: [] });
  });

  it('turns a string rejection from Go into an Error with that message', async () => {
    installBackend({ AddHost: () => Promise.reject('url: "ftp://x" must start with http:// or https://') });
    const err = await addHost('ftp://x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('url: "ftp://x" must start with http:// or https://');
  });

  it('turns a synchronous throw into a rejection', async () => {
    installBackend({
      Hosts: () => {
        throw new Error('boom');
      },
    });
    await expect(getHosts()).rejects.toThrow('boom');
  });

  it('gives up on a call that never answers after the default timeout', async () => {
    vi.useFakeTimers();
    installBackend({ Status: () => new Promise(() => {}) });
    const result = getStatus().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUT_MS - 1);
    let settled = false;
    void result.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const err = await result;
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toBe('Status() did not answer within 10 s');
    expect(DEFAULT_TIMEOUT_MS).toBe(10_000);
  });
});

describe('withTimeout', () => {
  it('resolves with the value and clears its timer', async () => {
    vi.useFakeTimers();
    await expect(withTimeout(Promise.resolve(7), 50)).resolves.toBe(7);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with a TimeoutError naming the call', async () => {
    vi.useFakeTimers();
    const p = withTimeout(new Promise<number>(() => {}), 2000, 'Models()');
    const check = expect(p).rejects.toThrow('Models() did not answer within 2 s');
    await vi.advanceTimersByTimeAsync(2000);
    await check;
  });

  it('passes a rejection through as an Error', async () => {
    await expect(withTimeout(Promise.reject('nope'), 50)).rejects.toThrow('nope');
  });
});
