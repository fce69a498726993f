import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as modelsApi from '../api/models';
import { dl } from '../../test/models';
import { DownloadStore, isNewer } from './downloads.svelte';

vi.mock('../api/models', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api/models')>();
  return {
    ...actual,
    getDownloads: vi.fn(),
    onDownload: vi.fn(),
    pauseDownload: vi.fn(),
    resumeDownload: vi.fn(),
    cancelDownload: vi.fn(),
    startDownload: vi.fn(),
    setParallelDownloads: vi.fn(),
  };
});

const api = vi.mocked(modelsApi);
let emit: (d: modelsApi.Download) => void = () => {};
const off = vi.fn();
let store: DownloadStore;

beforeEach(() => {
  localStorage.clear();
  api.onDownload.mockImplementation((cb) => {
    emit = cb;
    return off;
  });
  api.getDownloads.mockResolvedValue([]);
  store = new DownloadStore();
});
afterEach(() => store.reset());

describe('DownloadStore', () => {
  it('loads the stored queue once and subscribes once, however often it is started', async () => {
    api.getDownloads.mockResolvedValue([dl({ id: 1, state: 'paused' }), dl({ id: 2, state: 'queued' })]);
    await Promise.all([store.start(), store.start()]);
    await store.start();
    expect(api.getDownloads).toHaveBeenCalledTimes(1);
    expect(api.onDownload).toHaveBeenCalledTimes(1);
    expect(store.items.map((d) => [d.id, d.state])).toEqual([
      [2, 'queued'],
      [1, 'paused'],
    ]);
    expect(store.loaded).toBe(true);
    store.stop();
    expect(off).toHaveBeenCalledTimes(1);
  });

  it('keeps the error and tries again on the next start when loading fails', async () => {
    api.getDownloads.mockRejectedValueOnce(new Error('Downloads() did not answer within 10 s'));
    await store.start();
    expect(store.error).toBe('Downloads() did not answer within 10 s');
    api.getDownloads.mockResolvedValue([dl({ id: 5 })]);
    await store.start();
    expect(store.error).toBeNull();
    expect(store.items).toHaveLength(1);
  });

  it('applies events by id and drops updates older than the one shown', async () => {
    await store.start();
    const a1 = dl({ id: 1, completedBytes: 100 });
    const b1 = dl({ id: 2, name: 'gemma3:4b', completedBytes: 10 });
    const a2 = dl({ id: 1, completedBytes: 900 });
    emit(a1);
    emit(b1);
    emit(a2);
    emit(a1); // arrives late
    expect(store.get(1)?.completedBytes).toBe(900);
    expect(store.get(2)?.completedBytes).toBe(10);
    expect(store.items.map((d) => d.id)).toEqual([2, 1]);
  });

  it('does not let a progress report that raced a final state undo it', () => {
    const at = '2026-11-29T10:00:00.000Z';
    const done = dl({ state: 'done', updatedAt: at });
    expect(isNewer(done, dl({ state: 'downloading', updatedAt: at }))).toBe(false);
    expect(isNewer(dl({ state: 'downloading', updatedAt: at }), done)).toBe(true);
    expect(isNewer(done, dl({ state: 'queued' }))).toBe(true); // restarted later
    expect(isNewer(undefined, done)).toBe(true);
  });

  it('pauses, resumes and cancels through the backend and shows the answer', async () => {
    await store.start();
    emit(dl({ id: 3 }));
    api.pauseDownload.mockImplementation(async (id) => dl({ id, state: 'paused' }));
    await store.pause(3);
    expect(api.pauseDownload).toHaveBeenCalledWith(3);
    expect(store.get(3)?.state).toBe('paused');

    api.resumeDownload.mockImplementation(async (id) => dl({ id, state: 'queued' }));
    await store.resume(3);
    expect(store.get(3)?.state).toBe('queued');

    api.cancelDownload.mockResolvedValue(undefined);
    await store.cancel(3);
    expect(api.cancelDownload).toHaveBeenCalledWith(3);
    expect(store.get(3)?.state).toBe('canceled');
  });

  it('finds the active download of a name on a host', async () => {
    await store.start();
    emit(dl({ id: 1, name: 'a', state: 'done' }));
    emit(dl({ id: 2, name: 'a', state: 'downloading' }));
    expect(store.activeFor('http://127.0.0.1:11434', 'a')?.id).toBe(2);
    expect(store.activeFor('http://other:11434', 'a')).toBeUndefined();
  });

  it('sets the parallel count within 1..8 and remembers it', async () => {
    api.setParallelDownloads.mockResolvedValue(undefined);
    await store.setParallel(20);
    expect(api.setParallelDownloads).toHaveBeenCalledWith(8);
    expect(store.parallel).toBe(8);
    expect(new DownloadStore().parallel).toBe(8);
    api.setParallelDownloads.mockRejectedValue(new Error('parallel: must be 1 to 8'));
    await expect(store.setParallel(3)).rejects.toThrow('parallel: must be 1 to 8');
    expect(store.parallel).toBe(8);
  });
});
