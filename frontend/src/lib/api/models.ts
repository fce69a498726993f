// Typed wrappers of the model-library methods bound on window.go.desktop.App
// (Go: app/desktop/models.go). The shapes follow the models contract exactly;
// Go's null slices and maps become empty ones here.

import { invokeApp, onBackendEvent } from '../api';

export type GpuVendor = 'nvidia' | 'amd' | 'apple' | 'intel' | 'other';

export interface GpuInfo {
  name: string;
  vendor: GpuVendor;
  vramBytes: number;
  freeVramBytes: number;
}

export interface MachineInfo {
  os: string;
  cpuModel: string;
  cpuCores: number;
  ramBytes: number;
  availableRamBytes: number;
  gpus: GpuInfo[];
  unifiedMemory: boolean;
  modelsDir: string;
  freeDiskBytes: number;
}

export interface CatalogFilter {
  query: string;
  capability: string;
  family: string;
  /** 0 = any size. */
  maxParamsB: number;
  fitsOnly: boolean;
}

export type FitVerdict = 'gpu' | 'split' | 'cpu' | 'no';

export interface Fit {
  verdict: FitVerdict;
  numCtx: number;
  weightsBytes: number;
  kvBytes: number;
  overheadBytes: number;
  totalBytes: number;
  vramBytes: number;
  ramBytes: number;
  /** One sentence with the numbers. */
  summary: string;
}

export interface CatalogVariant {
  pullName: string;
  params: string;
  paramsB: number;
  quant: string;
  downloadBytes: number;
  fit: Fit;
}

export interface CatalogEntry {
  id: string;
  family: string;
  name: string;
  description: string;
  license: string;
  capabilities: string[];
  contextDefault: number;
  contextMax: number;
  serverOnly: boolean;
  localAlternative: string;
  variants: CatalogVariant[];
}

export interface InstalledModel {
  host: string;
  name: string;
  family: string;
  parameterSize: string;
  quantization: string;
  contextLength: number;
  capabilities: string[];
  sizeBytes: number;
  modifiedAt: string;
  digest: string;
}

export interface ModelDetails {
  name: string;
  license: string;
  parameters: string;
  template: string;
  system: string;
  capabilities: string[];
  modelInfo: Record<string, unknown>;
}

export interface RunningModel {
  name: string;
  sizeBytes: number;
  vramBytes: number;
  /** 0..1 */
  gpuShare: number;
  expiresAt: string;
  estimate: Fit | null;
}

export type DownloadState =
  | 'queued'
  | 'downloading'
  | 'paused'
  | 'stalled'
  | 'retrying'
  | 'done'
  | 'failed'
  | 'canceled';

export interface Download {
  id: number;
  host: string;
  name: string;
  state: DownloadState;
  completedBytes: number;
  totalBytes: number;
  bytesPerSec: number;
  etaSeconds: number;
  error: string;
  attempts: number;
  updatedAt: string;
}

export interface ImportRequest {
  host: string;
  path: string;
  name: string;
  template: string;
  system: string;
  parameters: Record<string, unknown>;
}

export type ImportState = 'uploading' | 'creating' | 'done' | 'failed';

export interface ImportJob {
  id: string;
  state: ImportState;
  completedBytes: number;
  totalBytes: number;
  error: string;
  name: string;
}

export const DOWNLOAD_EVENT = 'models:download';
export const IMPORT_EVENT = 'models:import';

/** Calls that touch the disk or a remote host get more time than the default. */
const SLOW_MS = 60_000;
/** A native file dialog waits for the person, not the machine. */
const DIALOG_MS = 60 * 60_000;

function list<T>(value: T[] | null | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

function fixFit(fit: Fit | null | undefined): Fit | null {
  return fit ?? null;
}

function fixEntry(e: CatalogEntry): CatalogEntry {
  return {
    ...e,
    capabilities: list(e.capabilities),
    variants: list(e.variants).map((v) => ({ ...v, fit: fixFit(v.fit) as Fit })),
  };
}

export async function getMachine(): Promise<MachineInfo> {
  const m = await invokeApp<MachineInfo>('Machine', [], SLOW_MS);
  return { ...m, gpus: list(m?.gpus) };
}

export async function getCatalog(filter: CatalogFilter): Promise<CatalogEntry[]> {
  return list(await invokeApp<CatalogEntry[]>('Catalog', [filter], SLOW_MS)).map(fixEntry);
}

export function fitFor(name: string, numCtx: number): Promise<Fit> {
  return invokeApp<Fit>('FitFor', [name, numCtx], SLOW_MS);
}

export async function getInstalledModels(host: string): Promise<InstalledModel[]> {
  return list(await invokeApp<InstalledModel[]>('InstalledModels', [host], SLOW_MS)).map((m) => ({
    ...m,
    capabilities: list(m.capabilities),
  }));
}

export async function getModelDetails(host: string, name: string): Promise<ModelDetails> {
  const d = await invokeApp<ModelDetails>('ModelDetails', [host, name], SLOW_MS);
  return { ...d, capabilities: list(d?.capabilities), modelInfo: d?.modelInfo ?? {} };
}

export async function deleteModel(host: string, name: string): Promise<void> {
  await invokeApp<void>('DeleteModel', [host, name], SLOW_MS);
}

export async function getRunning(host: string): Promise<RunningModel[]> {
  return list(await invokeApp<RunningModel[]>('Running', [host])).map((r) => ({
    ...r,
    estimate: fixFit(r.estimate),
  }));
}

export async function unloadModel(host: string, name: string): Promise<void> {
  await invokeApp<void>('Unload', [host, name], SLOW_MS);
}

export async function getDownloads(): Promise<Download[]> {
  return list(await invokeApp<Download[]>('Downloads', []));
}

export function startDownload(host: string, name: string): Promise<Download> {
  return invokeApp<Download>('StartDownload', [host, name], SLOW_MS);
}

export function pauseDownload(id: number): Promise<Download> {
  return invokeApp<Download>('PauseDownload', [id], SLOW_MS);
}

export function resumeDownload(id: number): Promise<Download> {
  return invokeApp<Download>('ResumeDownload', [id], SLOW_MS);
}

export async function cancelDownload(id: number): Promise<void> {
  await invokeApp<void>('CancelDownload', [id], SLOW_MS);
}

export async function setParallelDownloads(n: number): Promise<void> {
  await invokeApp<void>('SetParallelDownloads', [n]);
}

/** The path of the chosen *.gguf file, or "" if the person cancelled. */
export async function pickGGUF(): Promise<string> {
  return (await invokeApp<string>('PickGGUF', [], DIALOG_MS)) ?? '';
}

export function importGGUF(req: ImportRequest): Promise<ImportJob> {
  return invokeApp<ImportJob>('ImportGGUF', [req], SLOW_MS);
}

export function onDownload(cb: (d: Download) => void): () => void {
  return onBackendEvent<Download>(DOWNLOAD_EVENT, cb);
}

export function onImport(cb: (j: ImportJob) => void): () => void {
  return onBackendEvent<ImportJob>(IMPORT_EVENT, cb);
}
