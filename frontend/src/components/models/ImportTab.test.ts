import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as modelsApi from '../../lib/api/models';
import { imports } from '../../lib/models/imports.svelte';
import { LOCAL } from '../../test/fixtures';
import ImportTab from './ImportTab.svelte';

vi.mock('../../lib/api/models', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api/models')>();
  return { ...actual, pickGGUF: vi.fn(), importGGUF: vi.fn(), onImport: vi.fn() };
});

const api = vi.mocked(modelsApi);
let emit: (j: modelsApi.ImportJob) => void = () => {};

beforeEach(() => {
  imports.reset();
  api.onImport.mockImplementation((cb) => {
    emit = cb;
    return () => {};
  });
});
afterEach(() => imports.reset());

function job(over: Partial<modelsApi.ImportJob> = {}): modelsApi.ImportJob {
  return { id: 'j1', state: 'uploading', completedBytes: 0, totalBytes: 4_000_000, error: '', name: 'tiny:q8', ...over };
}

describe('Import GGUF', () => {
  it('lists every problem of an empty or bad form and sends nothing', async () => {
    render(ImportTab, { hosts: [LOCAL] });
    await fireEvent.click(screen.getByTestId('import-start'));
    const problems = screen.getByTestId('import-problems');
    expect(problems).toHaveTextContent('file: choose a .gguf file.');
    expect(problems).toHaveTextContent('name: give the model a name');

    api.pickGGUF.mockResolvedValue('/home/sara/Models/Tiny Llama-Q8_0.gguf');
    await fireEvent.click(screen.getByTestId('import-pick'));
    await waitFor(() => expect(screen.getByTestId('import-path')).toHaveValue('/home/sara/Models/Tiny Llama-Q8_0.gguf'));
    expect(screen.getByTestId('import-name')).toHaveValue('tiny-llama-q8_0');

    await fireEvent.input(screen.getByTestId('import-name'), { target: { value: 'bad name' } });
    await fireEvent.input(screen.getByTestId('import-parameters'), { target: { value: 'temperature' } });
    await fireEvent.click(screen.getByTestId('import-start'));
    expect(screen.getByTestId('import-problems')).toHaveTextContent('name: "bad name" is not a valid model name');
    expect(screen.getByTestId('import-problems')).toHaveTextContent('parameters, line 1: expected "name value"');
    expect(screen.getByTestId('import-problems')).not.toHaveTextContent('file:');
    expect(api.importGGUF).not.toHaveBeenCalled();
  });

  it('keeps the path when the dialog is cancelled', async () => {
    api.pickGGUF.mockResolvedValueOnce('/tmp/a.gguf').mockResolvedValueOnce('');
    render(ImportTab, { hosts: [LOCAL] });
    await fireEvent.click(screen.getByTestId('import-pick'));
    await waitFor(() => expect(screen.getByTestId('import-path')).toHaveValue('/tmp/a.gguf'));
    await fireEvent.click(screen.getByTestId('import-pick'));
    await waitFor(() => expect(api.pickGGUF).toHaveBeenCalledTimes(2));
    expect(screen.getByTestId('import-path')).toHaveValue('/tmp/a.gguf');
  });

  it('sends the request and follows the job to done through events', async () => {
    api.pickGGUF.mockResolvedValue('/tmp/tiny.gguf');
    api.importGGUF.mockResolvedValue(job());
    render(ImportTab, { hosts: [LOCAL] });
    await fireEvent.click(screen.getByTestId('import-pick'));
    await waitFor(() => expect(screen.getByTestId('import-name')).toHaveValue('tiny'));
    await fireEvent.input(screen.getByTestId('import-name'), { target: { value: 'tiny:q8' } });
    await fireEvent.input(screen.getByTestId('import-template'), { target: { value: '{{ .Prompt }}' } });
    await fireEvent.input(screen.getByTestId('import-system'), { target: { value: 'Be brief.' } });
    await fireEvent.input(screen.getByTestId('import-parameters'), { target: { value: 'temperature 0.2\nstop "</s>"' } });
    await fireEvent.click(screen.getByTestId('import-start'));

    expect(api.importGGUF).toHaveBeenCalledExactlyOnceWith({
      host: LOCAL,
      path: '/tmp/tiny.gguf',
      name: 'tiny:q8',
      template: '{{ .Prompt }}',
      system: 'Be brief.',
      parameters: { temperature: 0.2, stop: '</s>' },
    });
    const row = await screen.findByTestId('import-job');
    expect(row).toHaveAttribute('data-state', 'uploading');
    emit(job({ completedBytes: 2_000_000 }));
    await waitFor(() => expect(within(row).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '50'));
    expect(row).toHaveTextContent('Uploading 50%');
    emit(job({ state: 'creating', completedBytes: 4_000_000 }));
    await waitFor(() => expect(row).toHaveTextContent('Creating the model…'));
    emit(job({ state: 'done', completedBytes: 4_000_000 }));
    emit(job({ state: 'creating', completedBytes: 4_000_000 })); // late event
    await waitFor(() => expect(row).toHaveAttribute('data-state', 'done'));
    expect(screen.getByTestId('import-job')).toHaveAttribute('data-state', 'done');
  });

  it('shows the backend refusal of a file that is not GGUF', async () => {
    api.pickGGUF.mockResolvedValue('/tmp/a.bin');
    api.importGGUF.mockRejectedValue('file /tmp/a.bin is not a GGUF model (bad magic)');
    render(ImportTab, { hosts: [LOCAL] });
    await fireEvent.click(screen.getByTestId('import-pick'));
    await waitFor(() => expect(screen.getByTestId('import-name')).toHaveValue('a.bin'));
    await fireEvent.click(screen.getByTestId('import-start'));
    expect(await screen.findByTestId('import-error')).toHaveTextContent('file /tmp/a.bin is not a GGUF model (bad magic)');
  });

  it('takes a typed or pasted path too, and names the model after the file', async () => {
    api.importGGUF.mockResolvedValue(job({ name: 'qwen3-4b-q4_k_m' }));
    render(ImportTab, { hosts: [LOCAL] });
    await fireEvent.input(screen.getByTestId('import-path'), { target: { value: '/data/Qwen3-4B-Q4_K_M.gguf' } });
    await fireEvent.change(screen.getByTestId('import-path'));
    expect(screen.getByTestId('import-name')).toHaveValue('qwen3-4b-q4_k_m');
    await fireEvent.click(screen.getByTestId('import-start'));
    expect(api.importGGUF).toHaveBeenCalledWith(expect.objectContaining({ path: '/data/Qwen3-4B-Q4_K_M.gguf', name: 'qwen3-4b-q4_k_m' }));
  });

  it('shows a job that fails while creating', async () => {
    render(ImportTab, { hosts: [LOCAL] });
    emit(job({ state: 'failed', error: 'create tiny:q8: unsupported architecture "mamba9"' }));
    const row = await screen.findByTestId('import-job');
    expect(row).toHaveTextContent('Failed');
    expect(within(row).getByRole('alert')).toHaveTextContent('unsupported architecture "mamba9"');
  });
});
