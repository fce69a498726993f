import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as docsApi from './api/docs';
import { snippetParts } from './markdown/snippet';
import { DocsJobStore, formatEtaMs, isNewerJob, jobSummary, relativePath } from './docs.svelte';
import { job } from '../test/docs';

vi.mock('./api/docs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./api/docs')>();
  return { ...actual, indexJobs: vi.fn(), onDocsProgress: vi.fn(), cancelIndexing: vi.fn() };
});

const api = vi.mocked(docsApi);
let emit: (j: docsApi.IndexJob) => void = () => {};
const off = vi.fn();
let store: DocsJobStore;

beforeEach(() => {
  api.onDocsProgress.mockImplementation((cb) => {
    emit = cb;
    return off;
  });
  api.indexJobs.mockResolvedValue([]);
  store = new DocsJobStore();
});
afterEach(() => store.reset());

describe('DocsJobStore', () => {
  it('loads the jobs and subscribes once however often it is started', async () => {
    api.indexJobs.mockResolvedValue([job({ collectionId: 2, collection: 'B', state: 'done' })]);
    await Promise.all([store.start(), store.start()]);
    await store.start();
    expect(api.indexJobs).toHaveBeenCalledTimes(1);
    expect(api.onDocsProgress).toHaveBeenCalledTimes(1);
    expect(store.get(2)?.state).toBe('done');
    expect(store.running).toHaveLength(0);
    store.stop();
    expect(off).toHaveBeenCalledTimes(1);
  });

  it('keeps the error and retries on the next start', async () => {
    api.indexJobs.mockRejectedValueOnce(new Error('IndexJobs() did not answer within 10 s'));
    await store.start();
    expect(store.error).toBe('IndexJobs() did not answer within 10 s');
    await store.start();
    expect(store.error).toBeNull();
    expect(api.indexJobs).toHaveBeenCalledTimes(2);
  });

  it('applies events by collection and never moves progress backwards', async () => {
    await store.start();
    emit(job({}, { filesDone: 5, filesTotal: 10 }));
    store.apply(job({}, { phase: 'scan', filesDone: 0 })); // the call's late answer
    expect(store.get(1)?.progress.filesDone).toBe(5);
    expect(store.running).toHaveLength(1);
    emit(job({ state: 'done', finishedAt: '2026-11-30T10:00:09Z' }, { phase: 'done', filesDone: 10, filesTotal: 10 }));
    emit(job({}, { filesDone: 9, filesTotal: 10 })); // raced the final state
    expect(store.get(1)?.state).toBe('done');
    // The next job of the collection replaces the finished one.
    emit(job({ startedAt: '2026-11-30T10:05:00.000Z', kind: 'rescan' }, { phase: 'scan' }));
    expect(store.get(1)?.kind).toBe('rescan');
    // An older job never replaces a newer one.
    expect(isNewerJob(store.get(1), job({ state: 'done' }))).toBe(false);
  });

  it('forgets deleted collections and follows renames', async () => {
    await store.start();
    emit(job());
    store.renamed(1, 'Articles');
    expect(store.get(1)?.collection).toBe('Articles');
    await store.cancel(1);
    expect(api.cancelIndexing).toHaveBeenCalledWith('Articles');
    store.forget(1);
    expect(store.get(1)).toBeUndefined();
  });
});

describe('helpers', () => {
  it('splits snippets at their marks and drops stray marks', () => {
    expect(snippetParts('a \u0002walrus\u0003 b')).toEqual([
      { text: 'a ', hit: false },
      { text: 'walrus', hit: true },
      { text: ' b', hit: false },
    ]);
    expect(snippetParts('\u0003x\u0002y')).toEqual([
      { text: 'x', hit: false },
      { text: 'y', hit: true },
    ]);
    expect(snippetParts('')).toEqual([]);
  });

  it('shows paths relative to the folder they came from', () => {
    expect(relativePath('/home/s/papers/a/b.pdf', ['/home/s/papers', '/home/s/papers/a'])).toBe('a/b.pdf');
    expect(relativePath('/home/s/papers/x.md', ['/home/s/papers/'])).toBe('papers/x.md');
    expect(relativePath('/home/s/one.pdf', ['/home/s/one.pdf'])).toBe('one.pdf');
    expect(relativePath('/elsewhere/z.txt', ['/home/s/papers'])).toBe('/elsewhere/z.txt');
    expect(relativePath('/home/s/papers2/q.txt', ['/home/s/papers'])).toBe('/home/s/papers2/q.txt');
  });

  it('summarises jobs and ETAs', () => {
    expect(jobSummary(job({ state: 'done' }, { indexed: 12, failed: 1 }))).toBe('12 indexed, 1 failed');
    expect(formatEtaMs(0)).toBe('');
    expect(formatEtaMs(20_400)).toBe('about 20 s left');
    expect(formatEtaMs(150_000)).toBe('about 3 min left');
  });
});
