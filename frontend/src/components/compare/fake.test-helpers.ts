// A fake Wails bridge for the compare tests: every bound method is a vi.fn on
// window.go.desktop.App, and emit() delivers events the way
// window.runtime.EventsOn would.

import { vi } from 'vitest';
import type { Metrics, ModelOption } from '../../lib/api/chat';
import type { Column, CompareStreamEvent, CompareView, SetRun } from '../../lib/api/compare';

export const HOST = 'http://127.0.0.1:11434';

export const MODELS: ModelOption[] = [
  { host: HOST, name: 'alpha-model:latest', capabilities: ['completion'], contextLength: 2048, family: 'llama', parameterSize: '1M' },
  { host: HOST, name: 'beta-model:latest', capabilities: ['completion'], contextLength: 2048, family: 'llama', parameterSize: '1M' },
  { host: HOST, name: 'gamma-model:latest', capabilities: ['completion'], contextLength: 2048, family: 'llama', parameterSize: '1M' },
];

export function metrics(over: Partial<Metrics> = {}): Metrics {
  return {
    ttftMs: 100, loadMs: 50, promptTokens: 10, promptMs: 20, outputTokens: 40, outputMs: 400, tokensPerSec: 100, totalMs: 600, ...over,
  };
}

export function column(over: Partial<Column> = {}): Column {
  return { index: 0, label: 'A', host: HOST, model: '', state: 'running', order: 1, ...over };
}

/** A blind run of two columns, labels swapped (column 0 is B), just started. */
export function blindView(over: Partial<CompareView> = {}): CompareView {
  return {
    id: 7, prompt: 'Why is the sky blue?', blind: true, tags: ['science'], createdAt: '2026-11-29T10:00:00Z',
    schedule: 'concurrent', scheduleNote: '', collection: '',
    columns: [column({ index: 0, label: 'B', host: '' }), column({ index: 1, label: 'A', host: '' })],
    turns: [{ index: 0, prompt: 'Why is the sky blue?', answers: [], retrieval: null }],
    votes: [], ...over,
  };
}

export function streamEvent(over: Partial<CompareStreamEvent>): CompareStreamEvent {
  return {
    runId: 7, turn: 0, column: 0, content: '', thinking: '', done: false, status: 'streaming', error: '', metrics: null,
    columnState: 'running', ...over,
  };
}

export function setRun(over: Partial<SetRun> = {}): SetRun {
  return {
    id: 3, setId: 1, state: 'running', done: 0, total: 4,
    columns: [
      { host: HOST, model: 'alpha-model:latest', settings: { systemPrompt: '', temperature: null, topP: null, seed: null, numCtx: null, keepAlive: '', think: false } },
      { host: HOST, model: 'beta-model:latest', settings: { systemPrompt: '', temperature: null, topP: null, seed: null, numCtx: null, keepAlive: '', think: false } },
    ],
    rows: [], collection: '', ...over,
  };
}

type Fn = ReturnType<typeof vi.fn>;

/** Install the fake bridge; returns the method mocks and emit(). */
export function installFakeApp() {
  const listeners = new Map<string, ((...d: unknown[]) => void)[]>();
  const app: Record<string, Fn> = {};
  const methods = [
    'ChatModels', 'StartCompare', 'FollowUp', 'StopCompare', 'GetCompare', 'ListCompares', 'Vote', 'Leaderboard',
    'ContinueAsChat', 'PromptSets', 'SavePromptSet', 'DeletePromptSet', 'RunPromptSet', 'PauseSetRun', 'ResumeSetRun',
    'GetSetRun', 'SaveSetRunExport', 'Collections',
  ];
  for (const m of methods) app[m] = vi.fn().mockResolvedValue(null);
  app['ChatModels']!.mockResolvedValue(MODELS);
  app['ListCompares']!.mockResolvedValue([]);
  app['PromptSets']!.mockResolvedValue([]);
  app['Leaderboard']!.mockResolvedValue([]);
  app['Collections']!.mockResolvedValue([]);
  const w = window as unknown as Record<string, unknown>;
  w['go'] = { desktop: { App: app } };
  w['runtime'] = {
    EventsOn(name: string, cb: (...d: unknown[]) => void) {
      listeners.set(name, [...(listeners.get(name) ?? []), cb]);
      return () => listeners.set(name, (listeners.get(name) ?? []).filter((x) => x !== cb));
    },
  };
  return {
    app,
    emit(name: string, data: unknown) {
      for (const cb of listeners.get(name) ?? []) cb(data);
    },
    uninstall() {
      delete w['go'];
      delete w['runtime'];
    },
  };
}
