import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as modelsApi from '../../lib/api/models';
import { downloads } from '../../lib/models/downloads.svelte';
import { LOCAL, REMOTE } from '../../test/fixtures';
import { dl } from '../../test/models';
import DownloadsTab from './DownloadsTab.svelte';

vi.mock('../../lib/api/models', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api/models')>();
  return {
    ...actual,
    getDownloads: vi.fn(),
    onDownload: vi.fn(),
    startDownload: vi.fn(),
    pauseDownload: vi.fn(),
    resumeDownload: vi.fn(),
    cancelDownload: vi.fn(),
    setParallelDownloads: vi.fn(),
  };
});

const api = vi.mocked(modelsApi);
let emit: (d: modelsApi.Download) => void = () => {};

beforeEach(async () => {
  localStorage.clear();
  downloads.reset();
  api.onDownload.mockImplementation((cb) => {
    emit = cb;
    return () => {};
  });
  api.getDownloads.mockResolvedValue([]);
  await downloads.start();
});
afterEach(() => downloads.reset());

function rowOf(name: string): HTMLElement {
  const el = screen.getAllByTestId('download-row').find((r) => r.dataset.name === name);
  if (!el) throw new Error(`no row for ${name}`);
  return el;
}

describe('Downloads tab', () => {
  it('shows live progress from events: bar, bytes, percent, speed and ETA', async () => {
    render(DownloadsTab, { hosts: [LOCAL] });
    expect(screen.getByTestId('downloads-empty')).toHaveTextContent('No downloads yet.');
    emit(dl({ id: 1, name: 'qwen3:4b', completedBytes: 500_000_000, totalBytes: 2_000_000_000, bytesPerSec: 25_000_000, etaSeconds: 45 }));
    const row = await screen.findByTestId('download-row');
    const bar = within(row).getByTestId('download-progress');
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    expect(row).toHaveTextContent('25% · 500 MB of 2.0 GB · 25 MB/s · 45 s left');
    expect(row).toHaveTextContent('Downloading');

    emit(dl({ id: 1, name: 'qwen3:4b', completedBytes: 1_500_000_000, etaSeconds: 20 }));
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '75'));
    // The same element is updated in place: no remount, no flicker.
    expect(screen.getByTestId('download-progress')).toBe(bar);

    emit(dl({ id: 1, name: 'qwen3:4b', completedBytes: 1_000_000_000 }));
    emit(dl({ id: 1, name: 'qwen3:4b', state: 'done', completedBytes: 2_000_000_000, bytesPerSec: 0 }));
    await waitFor(() => expect(row).toHaveAttribute('data-state', 'done'));
    expect(bar).toHaveAttribute('aria-valuenow', '100');
    expect(within(row).queryByTestId('download-pause')).toBeNull();
    expect(within(row).queryByTestId('download-cancel')).toBeNull();
  });

  it('ignores an event older than the one shown, so the bar never goes back', async () => {
    render(DownloadsTab, { hosts: [LOCAL] });
    const early = dl({ id: 1, completedBytes: 200_000_000 });
    const late = dl({ id: 1, completedBytes: 1_800_000_000 });
    emit(late);
    emit(early);
    const bar = await screen.findByTestId('download-progress');
    expect(bar).toHaveAttribute('aria-valuenow', '90');
  });

  it('pauses, resumes and cancels the right download', async () => {
    api.pauseDownload.mockImplementation(async (id) => dl({ id, name: 'b', state: 'paused' }));
    api.resumeDownload.mockImplementation(async (id) => dl({ id, name: 'b', state: 'downloading' }));
    api.cancelDownload.mockResolvedValue(undefined);
    render(DownloadsTab, { hosts: [LOCAL] });
    emit(dl({ id: 1, name: 'a' }));
    emit(dl({ id: 2, name: 'b' }));
    await waitFor(() => expect(screen.getAllByTestId('download-row')).toHaveLength(2));

    await fireEvent.click(within(rowOf('b')).getByTestId('download-pause'));
    expect(api.pauseDownload).toHaveBeenCalledExactlyOnceWith(2);
    await waitFor(() => expect(rowOf('b')).toHaveAttribute('data-state', 'paused'));
    expect(within(rowOf('b')).queryByTestId('download-pause')).toBeNull();

    await fireEvent.click(within(rowOf('b')).getByTestId('download-resume'));
    expect(api.resumeDownload).toHaveBeenCalledExactlyOnceWith(2);
    await waitFor(() => expect(rowOf('b')).toHaveAttribute('data-state', 'downloading'));

    await fireEvent.click(within(rowOf('a')).getByTestId('download-cancel'));
    expect(api.cancelDownload).toHaveBeenCalledExactlyOnceWith(1);
    await waitFor(() => expect(rowOf('a')).toHaveAttribute('data-state', 'canceled'));
  });

  it('shows a failed download with its error and a retry, and a stalled one with what happens', async () => {
    api.resumeDownload.mockImplementation(async (id) => dl({ id, name: 'x', state: 'queued', attempts: 4 }));
    render(DownloadsTab, { hosts: [LOCAL] });
    emit(dl({ id: 1, name: 'x', state: 'failed', attempts: 3, error: 'pull x: registry dropped the connection (3 attempts)' }));
    emit(dl({ id: 2, name: 'y', state: 'stalled', error: 'no progress for 30 s' }));
    await waitFor(() => expect(screen.getAllByTestId('download-row')).toHaveLength(2));

    expect(within(rowOf('x')).getByTestId('download-error')).toHaveTextContent('registry dropped the connection');
    expect(rowOf('x')).toHaveTextContent('Failed · attempt 3');
    expect(within(rowOf('y')).getByTestId('download-error')).toHaveTextContent(
      'no progress for 30 s. Wadi retries on its own.',
    );
    const retry = within(rowOf('x')).getByTestId('download-resume');
    expect(retry).toHaveTextContent('Retry');
    await fireEvent.click(retry);
    expect(api.resumeDownload).toHaveBeenCalledWith(1);
    await waitFor(() => expect(rowOf('x')).toHaveAttribute('data-state', 'queued'));
  });

  it('reports an action the backend refuses', async () => {
    api.pauseDownload.mockRejectedValue('download 1 is already done');
    render(DownloadsTab, { hosts: [LOCAL] });
    emit(dl({ id: 1, name: 'a' }));
    await fireEvent.click(await screen.findByTestId('download-pause'));
    expect(await within(rowOf('a')).findByRole('alert')).toHaveTextContent("Couldn't pause: download 1 is already done");
  });

  it('pulls a typed name, e.g. an hf.co GGUF, to the chosen host', async () => {
    api.startDownload.mockImplementation(async (host, name) => dl({ id: 9, host, name, state: 'queued', completedBytes: 0 }));
    render(DownloadsTab, { hosts: [LOCAL, REMOTE] });
    await fireEvent.change(screen.getByTestId('pull-host'), { target: { value: REMOTE } });
    await fireEvent.input(screen.getByTestId('pull-input'), { target: { value: '  hf.co/bartowski/Qwen3-4B-GGUF:Q4_K_M ' } });
    await fireEvent.click(screen.getByTestId('pull-start'));
    expect(api.startDownload).toHaveBeenCalledExactlyOnceWith(REMOTE, 'hf.co/bartowski/Qwen3-4B-GGUF:Q4_K_M');
    expect(await screen.findByTestId('download-row')).toHaveAttribute('data-name', 'hf.co/bartowski/Qwen3-4B-GGUF:Q4_K_M');
    expect(screen.getByTestId('pull-input')).toHaveValue('');
  });

  it('checks the typed name and shows the backend refusal', async () => {
    render(DownloadsTab, { hosts: [LOCAL] });
    await fireEvent.click(screen.getByTestId('pull-start'));
    expect(screen.getByTestId('pull-error')).toHaveTextContent('Type a model name');
    await fireEvent.input(screen.getByTestId('pull-input'), { target: { value: 'qwen3 4b' } });
    await fireEvent.click(screen.getByTestId('pull-start'));
    expect(screen.getByTestId('pull-error')).toHaveTextContent('"qwen3 4b" is not a model name');
    expect(api.startDownload).not.toHaveBeenCalled();

    api.startDownload.mockRejectedValue('not enough free disk for qwen3:235b: needs 142 GB, 80 GB free in /data/ollama');
    await fireEvent.input(screen.getByTestId('pull-input'), { target: { value: 'qwen3:235b' } });
    await fireEvent.click(screen.getByTestId('pull-start'));
    expect(await screen.findByTestId('pull-error')).toHaveTextContent(
      'not enough free disk for qwen3:235b: needs 142 GB, 80 GB free in /data/ollama',
    );
    expect(screen.getByTestId('pull-input')).toHaveValue('qwen3:235b');
  });

  it('sets the number of parallel downloads', async () => {
    api.setParallelDownloads.mockResolvedValue(undefined);
    render(DownloadsTab, { hosts: [LOCAL] });
    expect(screen.getByTestId('parallel-downloads')).toHaveValue('2');
    await fireEvent.change(screen.getByTestId('parallel-downloads'), { target: { value: '4' } });
    expect(api.setParallelDownloads).toHaveBeenCalledExactlyOnceWith(4);
    await waitFor(() => expect(downloads.parallel).toBe(4));
  });
});
