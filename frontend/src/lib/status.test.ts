import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from './api';
import { StatusStore } from './status.svelte';
import { deferred, downHost, LOCAL, okHost, REMOTE, report } from '../test/fixtures';

vi.mock('./api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./api')>();
  return { ...actual, getStatus: vi.fn(), getHosts: vi.fn() };
});

const mocked = vi.mocked(api);

beforeEach(() => {
  mocked.getHosts.mockResolvedValue([LOCAL]);
});

describe('StatusStore', () => {
  it('never runs two Status() calls at once, but re-checks once after a request made meanwhile', async () => {
    const first = deferred<api.StatusReport>();
    const second = deferred<api.StatusReport>();
    mocked.getStatus.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const store = new StatusStore();

    const a = store.refresh();
    const b = store.refresh();
    const c = store.refresh();
    expect(mocked.getStatus).toHaveBeenCalledTimes(1);
    expect(store.checking).toBe(true);

    first.resolve(report([downHost(LOCAL)]));
    await vi.waitFor(() => expect(mocked.getStatus).toHaveBeenCalledTimes(2));
    expect(store.report?.hosts[0]?.state).toBe('unreachable');
    expect(store.checking).toBe(true);

    second.resolve(report([okHost(LOCAL)]));
    await Promise.all([a, b, c]);
    expect(mocked.getStatus).toHaveBeenCalledTimes(2);
    expect(store.checking).toBe(false);
    expect(store.report?.hosts[0]?.state).toBe('ok');
  });

  it('derives rows from the host list: checking first, then results; unknown after a failure', async () => {
    const pending = deferred<api.StatusReport>();
    mocked.getStatus.mockReturnValueOnce(pending.promise);
    const store = new StatusStore();
    store.hosts = [LOCAL, REMOTE];
    const done = store.refresh();
    flushSync();
    expect(store.rows.map((r) => r.state)).toEqual(['checking', 'checking']);

    pending.resolve(report([okHost(LOCAL)]));
    await done;
    // REMOTE was not in the report: it was not checked.
    expect(store.rows.map((r) => r.state)).toEqual(['ok', 'unknown']);
    expect(store.anyReachable).toBe(true);
    expect(store.ready).toBe(true);

    mocked.getStatus.mockRejectedValueOnce('backend exploded');
    await store.refresh();
    expect(store.error).toBe('backend exploded');
    expect(store.backendMissing).toBe(false);
    // The last known results stay visible.
    expect(store.rows.map((r) => r.state)).toEqual(['ok', 'unknown']);

    mocked.getStatus.mockResolvedValueOnce(report([okHost(LOCAL), downHost(REMOTE)]));
    await store.refresh();
    expect(store.error).toBeNull();
    expect(store.rows.map((r) => r.state)).toEqual(['ok', 'unreachable']);
  });

  it('falls back to the hosts of the report when Hosts() failed', async () => {
    mocked.getHosts.mockRejectedValue(new Error('slow'));
    mocked.getStatus.mockResolvedValue(report([okHost(LOCAL), downHost(REMOTE)]));
    const store = new StatusStore();
    const stop = store.start();
    await vi.waitFor(() => expect(store.ready).toBe(true));
    expect(store.urls).toEqual([LOCAL, REMOTE]);
    stop();
  });
});
