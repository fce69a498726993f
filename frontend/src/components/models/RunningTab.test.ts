import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as modelsApi from '../../lib/api/models';
import { LOCAL, REMOTE } from '../../test/fixtures';
import { running } from '../../test/models';
import RunningTab from './RunningTab.svelte';

vi.mock('../../lib/api/models', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api/models')>();
  return { ...actual, getRunning: vi.fn(), unloadModel: vi.fn() };
});

const api = vi.mocked(modelsApi);

beforeEach(() => {
  api.getRunning.mockImplementation(async (host) =>
    host === LOCAL ? [running(), running({ name: 'qwen3:14b', gpuShare: 0.6, estimate: null })] : [],
  );
});

describe('Running tab', () => {
  it('shows memory, GPU share, expiry and the estimate beside the actual size', async () => {
    render(RunningTab, { hosts: [LOCAL, REMOTE] });
    await waitFor(() => expect(screen.getAllByTestId('running-row')).toHaveLength(2));
    const [llama, qwen] = screen.getAllByTestId('running-row') as [HTMLElement, HTMLElement];
    expect(llama).toHaveTextContent('3.1 GB in memory · 3.1 GB VRAM · 100% GPU · unloads in 4 minutes');
    expect(within(llama).getByTestId('running-estimate')).toHaveTextContent(
      'Estimated 3.0 GB (3.0 GB VRAM) · actual 3.1 GB (3.1 GB VRAM)',
    );
    expect(within(qwen).getByTestId('running-share')).toHaveTextContent('60% GPU / 40% CPU');
    expect(within(qwen).getByTestId('running-estimate')).toHaveTextContent('No estimate for this model.');
    expect(await screen.findByTestId('running-empty')).toHaveTextContent('No model is loaded.');
  });

  it('unloads a model now and lists again', async () => {
    api.unloadModel.mockResolvedValue(undefined);
    render(RunningTab, { hosts: [LOCAL] });
    await waitFor(() => expect(screen.getAllByTestId('running-row')).toHaveLength(2));
    api.getRunning.mockResolvedValue([running({ name: 'qwen3:14b' })]);
    await fireEvent.click(within(screen.getAllByTestId('running-row')[0]!).getByTestId('running-unload'));
    expect(api.unloadModel).toHaveBeenCalledExactlyOnceWith(LOCAL, 'llama3.2:3b');
    await waitFor(() => expect(screen.getAllByTestId('running-row')).toHaveLength(1));
  });

  it('reports a failed unload', async () => {
    api.unloadModel.mockRejectedValue('unload llama3.2:3b: host unreachable');
    render(RunningTab, { hosts: [LOCAL] });
    await waitFor(() => expect(screen.getAllByTestId('running-row')).toHaveLength(2));
    await fireEvent.click(within(screen.getAllByTestId('running-row')[0]!).getByTestId('running-unload'));
    expect(await screen.findByRole('alert')).toHaveTextContent("Couldn't unload llama3.2:3b: unload llama3.2:3b: host unreachable");
  });
});
