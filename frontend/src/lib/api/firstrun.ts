// First-run welcome: engine detection, this machine, suggested first models.
import { invokeApp } from '../api';

export interface EngineInfo {
  kind: 'system' | 'builtin' | 'none';
  url: string;
  binary: string;
  note: string;
}

export interface FirstRunInfo {
  show: boolean;
  engine: EngineInfo;
  systemOllama: string;
  dataDir: string;
}

export interface MachineSummary {
  ramBytes: number;
  cpuModel: string;
  cpuCores: number;
  gpus: { name: string; vramBytes: number }[];
  unifiedMemory: boolean;
  freeDiskBytes: number;
}

export interface Suggestion {
  role: 'chat' | 'embedding';
  pullName: string;
  name: string;
  description: string;
  downloadBytes: number;
  verdict: 'gpu' | 'split' | 'cpu' | 'no';
  summary: string;
}

export const getFirstRun = () => invokeApp<FirstRunInfo>('FirstRun');
export const dismissWelcome = () => invokeApp<void>('DismissWelcome');
export const startOllama = () => invokeApp<void>('StartOllama');
export const openDataDir = () => invokeApp<void>('OpenDataDir');
export const getMachineSummary = () => invokeApp<MachineSummary>('Machine');
export const getSuggestions = () => invokeApp<Suggestion[] | null>('SuggestedModels', [], 20_000);
export const downloadModel = (host: string, name: string) =>
  invokeApp<unknown>('StartDownload', [host, name]);
