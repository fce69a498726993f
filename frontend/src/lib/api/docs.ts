// Typed wrappers of the document-collection bindings (Go: app/desktop/docs.go
// and docs_jobs.go). Every call goes through invokeApp, so it rejects with a
// plain Error naming the collection or path; Go's null slices become empty
// arrays here.

import { invokeApp, onBackendEvent } from '../api';
import type { Suggestion } from './firstrun';

export type { Suggestion } from './firstrun';

/** A named set of documents searched together. */
export interface Collection {
  id: number;
  name: string;
  /** "" means keyword-only. */
  embedModel: string;
  embedHost: string;
  createdAt: string;
  updatedAt: string;
  files: number;
  chunks: number;
}

export type FileState = 'pending' | 'indexed' | 'failed' | 'skipped';

/** One file of a collection and how its indexing went. */
export interface DocFile {
  id: number;
  collectionId: number;
  path: string;
  size: number;
  mtimeNs: number;
  hash: string;
  state: FileState;
  /** Why it failed or was skipped; for an indexed file, a note (e.g. not embedded yet). */
  error: string;
  format: string;
  title: string;
  pages: number;
  chunkCount: number;
  indexedAt: string;
}

/** A file or folder added to a collection. */
export interface DocSource {
  path: string;
  include: string[];
  exclude: string[];
}

export type IndexPhase = 'scan' | 'index' | 'embed' | 'done';

export interface IndexProgress {
  phase: IndexPhase;
  filesDone: number;
  filesTotal: number;
  chunks: number;
  current: string;
  indexed: number;
  unchanged: number;
  failed: number;
  skipped: number;
  removed: number;
  /** Chunks given vectors in the "embed" phase, of embedTotal lacking one. */
  embedded: number;
  embedTotal: number;
  /** 0 when unknown. */
  etaMs: number;
}

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';
export type JobKind = 'add' | 'rescan' | 'model';

/** A collection's background indexing run. */
export interface IndexJob {
  collection: string;
  collectionId: number;
  kind: JobKind;
  state: JobState;
  progress: IndexProgress;
  error: string;
  startedAt: string;
  /** "" while running. */
  finishedAt: string;
}

/** An installed model that can embed. */
export interface EmbedModel {
  host: string;
  name: string;
  contextLength: number;
}

/** One retrieved chunk with its scores (Go: rag.Hit). */
export interface SearchHit {
  chunkId: number;
  file: string;
  format: string;
  title?: string;
  page?: number;
  endPage?: number;
  section?: string;
  start: number;
  end: number;
  tokens: number;
  text: string;
  /** Keyword match context, terms between U+0002 and U+0003. */
  snippet?: string;
  vectorScore: number | null;
  keywordScore: number | null;
  vectorRank?: number;
  keywordRank?: number;
  fused: number;
}

export interface SearchResults {
  collection: string;
  query: string;
  mode: 'hybrid' | 'keyword';
  /** Why the search is keyword-only, if it is. */
  notice?: string;
  hits: SearchHit[];
}

export const DOCS_PROGRESS_EVENT = 'docs:progress';

/** Calls that touch many rows or a remote host. */
const SLOW_MS = 30_000;
/** A native dialog waits for the person, not the machine. */
const DIALOG_MS = 60 * 60_000;

function list<T>(value: T[] | null | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

/** A progress report with every field set (Go leaves none out, but be safe). */
export function fixProgress(p: Partial<IndexProgress> | null | undefined): IndexProgress {
  return {
    phase: 'scan',
    filesDone: 0,
    filesTotal: 0,
    chunks: 0,
    current: '',
    indexed: 0,
    unchanged: 0,
    failed: 0,
    skipped: 0,
    removed: 0,
    embedded: 0,
    embedTotal: 0,
    etaMs: 0,
    ...(p ?? {}),
  };
}

/** Fill what Go may leave null. */
export function fixJob(j: IndexJob): IndexJob {
  return { ...j, progress: fixProgress(j.progress), error: j.error ?? '', finishedAt: j.finishedAt ?? '' };
}

export async function listCollections(): Promise<Collection[]> {
  return list(await invokeApp<Collection[] | null>('Collections'));
}

export async function collectionFiles(name: string): Promise<DocFile[]> {
  return list(await invokeApp<DocFile[] | null>('CollectionFiles', [name], SLOW_MS));
}

export async function collectionSources(name: string): Promise<DocSource[]> {
  return list(await invokeApp<DocSource[] | null>('CollectionSources', [name])).map((s) => ({
    ...s,
    include: list(s.include),
    exclude: list(s.exclude),
  }));
}

/** embedModel "" makes a keyword-only collection. */
export function createCollection(name: string, embedModel: string, host: string): Promise<Collection> {
  return invokeApp<Collection>('CreateCollection', [name, embedModel, host], SLOW_MS);
}

export async function renameCollection(name: string, newName: string): Promise<void> {
  await invokeApp<void>('RenameCollection', [name, newName]);
}

export async function deleteCollection(name: string): Promise<void> {
  await invokeApp<void>('DeleteCollection', [name], SLOW_MS);
}

/** model "" makes the collection keyword-only; the re-embedding runs in the background. */
export async function setCollectionModel(name: string, model: string, host: string): Promise<IndexJob> {
  return fixJob(await invokeApp<IndexJob>('SetCollectionModel', [name, model, host], SLOW_MS));
}

export async function addDocuments(
  name: string,
  paths: string[],
  include: string[],
  exclude: string[],
): Promise<IndexJob> {
  return fixJob(await invokeApp<IndexJob>('AddDocuments', [name, paths, include, exclude], SLOW_MS));
}

export async function rescanCollection(name: string): Promise<IndexJob> {
  return fixJob(await invokeApp<IndexJob>('RescanCollection', [name], SLOW_MS));
}

export async function cancelIndexing(name: string): Promise<void> {
  await invokeApp<void>('CancelIndexing', [name]);
}

export async function indexJobs(): Promise<IndexJob[]> {
  return list(await invokeApp<IndexJob[] | null>('IndexJobs')).map(fixJob);
}

/** Removes a file or folder; returns how many files went. */
export function removeDocument(name: string, path: string): Promise<number> {
  return invokeApp<number>('RemoveDocument', [name, path], SLOW_MS);
}

export async function searchCollection(name: string, query: string, k: number): Promise<SearchResults> {
  const r = await invokeApp<SearchResults>('SearchCollection', [name, query, k], SLOW_MS);
  return { ...r, hits: list(r?.hits) };
}

export async function embedModels(): Promise<EmbedModel[]> {
  return list(await invokeApp<EmbedModel[] | null>('EmbedModels', [], SLOW_MS));
}

export async function suggestEmbedModels(): Promise<Suggestion[]> {
  return list(await invokeApp<Suggestion[] | null>('SuggestEmbedModels', [], SLOW_MS));
}

/** The chosen folder, or "" if the person cancelled. */
export async function pickDocumentFolder(): Promise<string> {
  return (await invokeApp<string>('PickDocumentFolder', [], DIALOG_MS)) ?? '';
}

/** The chosen files, or none if the person cancelled. */
export async function pickDocumentFiles(): Promise<string[]> {
  return list(await invokeApp<string[] | null>('PickDocumentFiles', [], DIALOG_MS));
}

export function onDocsProgress(cb: (j: IndexJob) => void): () => void {
  return onBackendEvent<IndexJob>(DOCS_PROGRESS_EVENT, (j) => cb(fixJob(j)));
}
