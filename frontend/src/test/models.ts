// Model-library test data shaped exactly like the backend's JSON (models contract).
import type {
  CatalogEntry,
  CatalogVariant,
  Download,
  Fit,
  FitVerdict,
  InstalledModel,
  MachineInfo,
  ModelDetails,
  RunningModel,
} from '../lib/api/models';
import { LOCAL } from './fixtures';

const GB = 1_000_000_000;

export function fit(verdict: FitVerdict = 'gpu', over: Partial<Fit> = {}): Fit {
  return {
    verdict,
    numCtx: 8192,
    weightsBytes: 4.7 * GB,
    kvBytes: 1.1 * GB,
    overheadBytes: 0.5 * GB,
    totalBytes: 6.3 * GB,
    vramBytes: verdict === 'gpu' ? 6.3 * GB : verdict === 'split' ? 4 * GB : 0,
    ramBytes: verdict === 'gpu' ? 0 : verdict === 'split' ? 2.3 * GB : 6.3 * GB,
    summary: `Needs 6.3 GB (4.7 GB weights + 1.1 GB KV cache at 8K + 0.5 GB overhead); verdict ${verdict}.`,
    ...over,
  };
}

export function variant(pullName: string, paramsB: number, verdict: FitVerdict, over: Partial<CatalogVariant> = {}): CatalogVariant {
  return {
    pullName,
    params: `${paramsB}B`,
    paramsB,
    quant: 'Q4_K_M',
    downloadBytes: paramsB * 0.6 * GB,
    fit: fit(verdict),
    ...over,
  };
}

export function entry(over: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    id: 'qwen3',
    family: 'qwen',
    name: 'Qwen3',
    description: 'General chat and reasoning with a thinking mode.',
    license: 'Apache-2.0',
    capabilities: ['completion', 'tools', 'thinking'],
    contextDefault: 8192,
    contextMax: 131072,
    serverOnly: false,
    localAlternative: '',
    variants: [variant('qwen3:4b', 4, 'gpu'), variant('qwen3:14b', 14, 'split'), variant('qwen3:32b', 32, 'no')],
    ...over,
  };
}

export function catalog(): CatalogEntry[] {
  return [
    entry(),
    entry({
      id: 'deepseek-v3',
      family: 'deepseek',
      name: 'DeepSeek-V3.1',
      description: 'Frontier mixture-of-experts model for code and reasoning.',
      license: 'MIT',
      capabilities: ['completion', 'tools', 'thinking'],
      serverOnly: true,
      localAlternative: 'deepseek-r1:14b',
      variants: [variant('deepseek-v3.1:671b', 671, 'no')],
    }),
    entry({
      id: 'nomic-embed-text',
      family: 'nomic-bert',
      name: 'nomic-embed-text',
      description: 'Small, fast text embeddings for search.',
      capabilities: ['embedding'],
      contextDefault: 2048,
      contextMax: 8192,
      variants: [variant('nomic-embed-text:latest', 0.137, 'cpu', { params: '137M', quant: 'F16' })],
    }),
  ];
}

export function installed(over: Partial<InstalledModel> = {}): InstalledModel {
  return {
    host: LOCAL,
    name: 'llama3.2:3b',
    family: 'llama',
    parameterSize: '3.2B',
    quantization: 'Q4_K_M',
    contextLength: 131072,
    capabilities: ['completion', 'tools'],
    sizeBytes: 2_019_393_189,
    modifiedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    digest: 'a80c4f17acd5',
    ...over,
  };
}

export function details(over: Partial<ModelDetails> = {}): ModelDetails {
  return {
    name: 'llama3.2:3b',
    license: 'LLAMA 3.2 COMMUNITY LICENSE AGREEMENT',
    parameters: 'stop "<|eot_id|>"',
    template: '{{ .Prompt }}',
    system: '',
    capabilities: ['completion', 'tools'],
    modelInfo: { 'general.architecture': 'llama', 'llama.block_count': 28, 'tokenizer.ggml.tokens': ['a', 'b'] },
    ...over,
  };
}

export function running(over: Partial<RunningModel> = {}): RunningModel {
  return {
    name: 'llama3.2:3b',
    sizeBytes: 3.1 * GB,
    vramBytes: 3.1 * GB,
    gpuShare: 1,
    expiresAt: new Date(Date.now() + 4 * 60_000).toISOString(),
    estimate: fit('gpu', { totalBytes: 3.0 * GB, vramBytes: 3.0 * GB }),
    ...over,
  };
}

let clock = Date.parse('2026-11-29T10:00:00Z');

/** A download update; each call is one millisecond later than the last. */
export function dl(over: Partial<Download> = {}): Download {
  clock += 1;
  return {
    id: 1,
    host: LOCAL,
    name: 'qwen3:4b',
    state: 'downloading',
    completedBytes: 500_000_000,
    totalBytes: 2_000_000_000,
    bytesPerSec: 25_000_000,
    etaSeconds: 60,
    error: '',
    attempts: 1,
    updatedAt: new Date(clock).toISOString(),
    ...over,
  };
}

export function machine(over: Partial<MachineInfo> = {}): MachineInfo {
  return {
    os: 'linux/amd64',
    cpuModel: 'AMD Ryzen 7 7840U',
    cpuCores: 16,
    ramBytes: 32 * GB,
    availableRamBytes: 20 * GB,
    gpus: [{ name: 'NVIDIA GeForce RTX 4070', vendor: 'nvidia', vramBytes: 12 * GB, freeVramBytes: 11 * GB }],
    unifiedMemory: false,
    modelsDir: '/home/sara/.ollama/models',
    freeDiskBytes: 210 * GB,
    ...over,
  };
}
