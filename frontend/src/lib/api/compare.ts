// Typed wrappers of the compare contract (Go: app/desktop/compare.go). Every
// call goes through invokeApp; Go's null slices become empty arrays here, so
// the UI never checks for them.

import { invokeApp, onBackendEvent } from '../api';
import type { ChatSettings, Metrics, Retrieval } from './chat';

export type { ChatSettings, Metrics, Retrieval };

export interface ColumnSpec {
  host: string;
  model: string;
  settings: ChatSettings;
}

export interface CompareRequest {
  prompt: string;
  /** 2..4 columns. */
  columns: ColumnSpec[];
  blind: boolean;
  tags: string[];
  /** A document collection to answer from ("" none): every column gets the same sources. */
  collection: string;
}

export interface CompareSummary {
  id: number;
  prompt: string;
  blind: boolean;
  tags: string[];
  createdAt: string;
  /** Empty while blind and unvoted. */
  models: string[];
  voted: boolean;
}

export type ColumnState = 'waiting' | 'running' | 'done' | 'failed' | 'stopped';
export type AnswerStatus = 'streaming' | 'complete' | 'incomplete' | 'error';

export interface Column {
  index: number;
  /** "A".."D" */
  label: string;
  host: string;
  /** "" while blind and the turn is unvoted. */
  model: string;
  state: ColumnState;
  /** 1-based run order; the same number for concurrent columns. */
  order: number;
}

export interface Answer {
  column: number;
  content: string;
  thinking: string;
  status: AnswerStatus;
  error: string;
  metrics: Metrics | null;
}

export interface Turn {
  index: number;
  prompt: string;
  /** By column index. */
  answers: Answer[];
  /** What was retrieved for this turn and sent to every column; null without documents. */
  retrieval: Retrieval | null;
}

export interface VoteRecord {
  turn: number;
  kind: string;
  winner: number;
  createdAt: string;
}

export interface CompareView {
  id: number;
  prompt: string;
  blind: boolean;
  tags: string[];
  createdAt: string;
  schedule: 'concurrent' | 'sequential';
  /** Why this schedule, e.g. "models do not fit in memory together". */
  scheduleNote: string;
  /** The attached document collection; "" none. */
  collection: string;
  columns: Column[];
  turns: Turn[];
  votes: VoteRecord[];
}

export type VoteKind = 'better' | 'tie' | 'all_bad';

export interface Vote {
  kind: VoteKind;
  /** Column index, for "better". */
  winner: number;
}

export interface LeaderRow {
  model: string;
  rating: number;
  /** 95% interval. */
  low: number;
  high: number;
  votes: number;
  wins: number;
  losses: number;
  ties: number;
}

export interface PromptSet {
  id: number;
  name: string;
  prompts: string[];
  tags: string[];
}

export type SetRunState = 'running' | 'paused' | 'done' | 'failed';

export interface SetRunRow {
  prompt: string;
  answers: Answer[];
}

export interface SetRun {
  id: number;
  setId: number;
  state: SetRunState;
  done: number;
  total: number;
  columns: ColumnSpec[];
  rows: SetRunRow[];
  /** The document collection every run answers from; "" none. */
  collection: string;
}

/** One batch of a column's answer (event `compare:stream`); text fields are deltas. */
export interface CompareStreamEvent {
  runId: number;
  turn: number;
  column: number;
  content: string;
  thinking: string;
  done: boolean;
  status: string;
  error: string;
  metrics: Metrics | null;
  columnState: string;
  /** The turn's retrieval, on each column's first event of a turn with documents. */
  retrieval?: Retrieval | null;
}

/** Calls that may wait on Ollama (model load, scheduling) get more time. */
const SLOW_MS = 60_000;

function list<T>(value: T[] | null | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

function answer(a: Answer): Answer {
  return { ...a, content: a.content ?? '', thinking: a.thinking ?? '', error: a.error ?? '', metrics: a.metrics ?? null };
}

/** A retrieval with its lists filled (null stays null). */
export function normalizeRetrieval(r: Retrieval | null | undefined): Retrieval | null {
  if (!r) return null;
  return { ...r, notices: list(r.notices), sources: list(r.sources) };
}

/** Fill the slices Go may send as null. */
export function normalizeCompare(v: CompareView): CompareView {
  return {
    ...v,
    tags: list(v.tags),
    scheduleNote: v.scheduleNote ?? '',
    collection: v.collection ?? '',
    columns: list(v.columns).map((c) => ({ ...c, model: c.model ?? '', host: c.host ?? '' })),
    turns: list(v.turns).map((t) => ({ ...t, answers: list(t.answers).map(answer), retrieval: normalizeRetrieval(t.retrieval) })),
    votes: list(v.votes),
  };
}

export function normalizeSetRun(r: SetRun): SetRun {
  return {
    ...r,
    collection: r.collection ?? '',
    columns: list(r.columns),
    rows: list(r.rows).map((row) => ({ prompt: row.prompt ?? '', answers: list(row.answers).map(answer) })),
  };
}

function normalizeSet(s: PromptSet): PromptSet {
  return { ...s, prompts: list(s.prompts), tags: list(s.tags) };
}

export async function startCompare(req: CompareRequest): Promise<CompareView> {
  return normalizeCompare(await invokeApp<CompareView>('StartCompare', [req], SLOW_MS));
}

export async function followUp(runId: number, prompt: string): Promise<CompareView> {
  return normalizeCompare(await invokeApp<CompareView>('FollowUp', [runId, prompt], SLOW_MS));
}

export async function stopCompare(runId: number): Promise<void> {
  await invokeApp<void>('StopCompare', [runId]);
}

export async function getCompare(runId: number): Promise<CompareView> {
  return normalizeCompare(await invokeApp<CompareView>('GetCompare', [runId]));
}

export async function listCompares(): Promise<CompareSummary[]> {
  return list(await invokeApp<CompareSummary[]>('ListCompares')).map((s) => ({
    ...s,
    tags: list(s.tags),
    models: list(s.models),
  }));
}

export async function vote(runId: number, turn: number, v: Vote): Promise<CompareView> {
  return normalizeCompare(await invokeApp<CompareView>('Vote', [runId, turn, v]));
}

export async function leaderboard(tag: string): Promise<LeaderRow[]> {
  return list(await invokeApp<LeaderRow[]>('Leaderboard', [tag]));
}

/** A normal chat with that column's history; returns the chat id. */
export async function continueAsChat(runId: number, column: number): Promise<number> {
  return invokeApp<number>('ContinueAsChat', [runId, column], SLOW_MS);
}

export async function promptSets(): Promise<PromptSet[]> {
  return list(await invokeApp<PromptSet[]>('PromptSets')).map(normalizeSet);
}

export async function savePromptSet(s: PromptSet): Promise<PromptSet> {
  return normalizeSet(await invokeApp<PromptSet>('SavePromptSet', [s]));
}

export async function deletePromptSet(id: number): Promise<void> {
  await invokeApp<void>('DeletePromptSet', [id]);
}

/** Run a set unattended; every prompt answers from `collection` ("" none). */
export async function runPromptSet(setId: number, columns: ColumnSpec[], collection: string): Promise<SetRun> {
  return normalizeSetRun(await invokeApp<SetRun>('RunPromptSet', [setId, columns, collection], SLOW_MS));
}

export async function pauseSetRun(id: number): Promise<SetRun> {
  return normalizeSetRun(await invokeApp<SetRun>('PauseSetRun', [id]));
}

export async function resumeSetRun(id: number): Promise<SetRun> {
  return normalizeSetRun(await invokeApp<SetRun>('ResumeSetRun', [id]));
}

export async function getSetRun(id: number): Promise<SetRun> {
  return normalizeSetRun(await invokeApp<SetRun>('GetSetRun', [id]));
}

/** Opens the native save dialog; "" when the person cancelled it. */
export async function saveSetRunExport(id: number, format: 'md' | 'csv'): Promise<string> {
  return invokeApp<string>('SaveSetRunExport', [id, format], 30 * 60_000);
}

export function onCompareStream(cb: (e: CompareStreamEvent) => void): () => void {
  return onBackendEvent<CompareStreamEvent>('compare:stream', cb);
}

export function onSetRun(cb: (r: SetRun) => void): () => void {
  return onBackendEvent<SetRun>('compare:setrun', (r) => cb(normalizeSetRun(r)));
}

/** Window event asking the shell to show a chat on the Chats page. */
export const OPEN_CHAT_EVENT = 'wadi:open-chat';

/** Ask the app shell to open chat `id` on the Chats page. */
export function requestOpenChat(id: number): void {
  window.dispatchEvent(new CustomEvent<number>(OPEN_CHAT_EVENT, { detail: id }));
}

/** Window event asking the shell to show a compare run on the Compare page. */
export const OPEN_COMPARE_EVENT = 'wadi:open-compare';

/** Ask the app shell to open compare run `id` on the Compare page (history search). */
export function requestOpenCompare(id: number): void {
  window.dispatchEvent(new CustomEvent<number>(OPEN_COMPARE_EVENT, { detail: id }));
}
