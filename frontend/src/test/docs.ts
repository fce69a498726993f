// Document-collection test data shaped exactly like the backend's JSON.
import { fixProgress, type Collection, type DocFile, type IndexJob, type IndexProgress, type SearchHit } from '../lib/api/docs';

export const DIR = '/home/sara/papers';

export function coll(over: Partial<Collection> = {}): Collection {
  return {
    id: 1,
    name: 'Papers',
    embedModel: '',
    embedHost: '',
    createdAt: '2026-11-30 10:00:00',
    updatedAt: '2026-11-30 10:00:00',
    files: 0,
    chunks: 0,
    ...over,
  };
}

export function docFile(over: Partial<DocFile> = {}): DocFile {
  return {
    id: 1,
    collectionId: 1,
    path: `${DIR}/guide.md`,
    size: 1200,
    mtimeNs: 1,
    hash: 'ab',
    state: 'indexed',
    error: '',
    format: 'md',
    title: 'Guide',
    pages: 0,
    chunkCount: 3,
    indexedAt: '2026-11-30 10:00:01',
    ...over,
  };
}

export function progress(over: Partial<IndexProgress> = {}): IndexProgress {
  return fixProgress({ phase: 'index', ...over });
}

export function job(over: Partial<IndexJob> = {}, p: Partial<IndexProgress> = {}): IndexJob {
  return {
    collection: 'Papers',
    collectionId: 1,
    kind: 'add',
    state: 'running',
    progress: progress(p),
    error: '',
    startedAt: '2026-11-30T10:00:00.000Z',
    finishedAt: '',
    ...over,
  };
}

export function hit(over: Partial<SearchHit> = {}): SearchHit {
  return {
    chunkId: 1,
    file: `${DIR}/guide.md`,
    format: 'md',
    section: 'Guide > Setup',
    start: 0,
    end: 40,
    tokens: 10,
    text: 'Install the walrus daemon.',
    snippet: 'Install the \u0002walrus\u0003 daemon.',
    vectorScore: null,
    keywordScore: 1.25,
    keywordRank: 1,
    fused: 0.0164,
    ...over,
  };
}
