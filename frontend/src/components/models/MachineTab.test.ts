import { render, screen, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as modelsApi from '../../lib/api/models';
import { machine } from '../../test/models';
import MachineTab from './MachineTab.svelte';

vi.mock('../../lib/api/models', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api/models')>();
  return { ...actual, getMachine: vi.fn() };
});

const api = vi.mocked(modelsApi);

beforeEach(() => {
  api.getMachine.mockResolvedValue(machine());
});

describe('This machine', () => {
  it('shows RAM, CPU, GPUs with VRAM and free disk where models are stored', async () => {
    render(MachineTab);
    expect(await screen.findByTestId('machine-ram')).toHaveTextContent('32 GB total · 20 GB available');
    expect(screen.getByTestId('machine-cpu')).toHaveTextContent('AMD Ryzen 7 7840U · 16 cores');
    const gpu = screen.getByTestId('machine-gpu');
    expect(gpu).toHaveAttribute('data-vendor', 'nvidia');
    expect(gpu).toHaveTextContent('NVIDIA GeForce RTX 4070 · 12 GB VRAM · 11 GB free');
    expect(screen.getByTestId('machine-disk')).toHaveTextContent('210 GB');
    expect(screen.getByText('/home/sara/.ollama/models')).toBeInTheDocument();
    expect(screen.queryByTestId('machine-no-gpu')).toBeNull();
  });

  it('treats a machine without a GPU as a normal case', async () => {
    api.getMachine.mockResolvedValue(machine({ gpus: [] }));
    render(MachineTab);
    const gpus = await screen.findByTestId('machine-gpus');
    expect(within(gpus).getByTestId('machine-no-gpu')).toHaveTextContent('No GPU found. Models run on the CPU and RAM');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says that an Apple GPU shares the RAM', async () => {
    api.getMachine.mockResolvedValue(
      machine({ unifiedMemory: true, gpus: [{ name: 'Apple M3 Pro', vendor: 'apple', vramBytes: 0, freeVramBytes: 0 }] }),
    );
    render(MachineTab);
    expect(await screen.findByTestId('machine-gpu')).toHaveTextContent('Apple M3 Pro · shares the RAM (unified memory)');
  });

  it('reports a probe that fails', async () => {
    api.getMachine.mockRejectedValue('read /proc/meminfo: permission denied');
    render(MachineTab);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Couldn't read this machine's hardware: read /proc/meminfo: permission denied",
    );
  });
});
