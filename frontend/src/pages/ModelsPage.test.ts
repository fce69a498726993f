import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App.svelte';
import * as api from '../lib/api';
import * as modelsApi from '../lib/api/models';
import { downloads } from '../lib/models/downloads.svelte';
import { resetModelsView } from '../lib/models/view.svelte';
import { downHost, LOCAL, okHost, REMOTE, report } from '../test/fixtures';
import { details, dl, installed } from '../test/models';

vi.mock('../lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../lib/api')>();
  return {
    ...actual,
    getStatus: vi.fn(),
    getHosts: vi.fn(),
    getVersion: vi.fn(),
    addHost: vi.fn(),
    removeHost: vi.fn(),
    getModels: vi.fn(),
  };
});

vi.mock('../lib/api/models', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../lib/api/models')>();
  return {
    ...actual,
    getInstalledModels: vi.fn(),
    getModelDetails: vi.fn(),
    deleteModel: vi.fn(),
    getDownloads: vi.fn(),
    onDownload: vi.fn(),
  };
});

const mocked = vi.mocked(api);
const models = vi.mocked(modelsApi);
let emit: (d: modelsApi.Download) => void = () => {};

beforeEach(() => {
  resetModelsView();
  downloads.reset();
  mocked.getVersion.mockResolvedValue({ version: '0.1.0', commit: 'c', goVersion: 'go', os: 'linux', arch: 'amd64' });
  mocked.getHosts.mockResolvedValue([LOCAL, REMOTE]);
  mocked.getStatus.mockResolvedValue(report([okHost(LOCAL), downHost(REMOTE)]));
  models.getDownloads.mockResolvedValue([]);
  models.onDownload.mockImplementation((cb) => {
    emit = cb;
    return () => {};
  });
  models.getInstalledModels.mockImplementation((host) =>
    host === LOCAL
      ? Promise.resolve([
          installed(),
          installed({
            name: 'qwen2.5:7b-instruct',
            sizeBytes: 4_683_087_332,
            family: 'qwen2',
            parameterSize: '7.6B',
            quantization: 'Q4_K_M',
            contextLength: 32768,
            capabilities: ['completion', 'tools', 'vision'],
            digest: 'b2',
          }),
        ])
      : Promise.reject(new Error('Get "http://192.168.1.20:11434/api/tags": connection refused')),
  );
});

afterEach(() => downloads.reset());

async function openModels() {
  render(App);
  await waitFor(() => expect(screen.getByTestId('app-ready')).toHaveAttribute('data-ready', 'true'));
  await fireEvent.click(screen.getByTestId('nav-models'));
  return screen.getByTestId('page-models');
}

function section(url: string): HTMLElement {
  const el = screen.getAllByTestId('host-models').find((s) => s.getAttribute('data-url') === url);
  if (!el) throw new Error(`no models section for ${url}`);
  return el;
}

function row(name: string): HTMLElement {
  const el = screen.getAllByTestId('model-row').find((r) => r.getAttribute('data-name') === name);
  if (!el) throw new Error(`no row for ${name}`);
  return el;
}

describe('Models page, Installed', () => {
  it('lists the models of each host with sizes, context, capabilities and total disk used', async () => {
    await openModels();
    expect(screen.getByTestId('models-tab-installed')).toHaveAttribute('aria-selected', 'true');
    await waitFor(() => expect(within(section(LOCAL)).getAllByTestId('model-row')).toHaveLength(2));

    const [first, second] = within(section(LOCAL)).getAllByTestId('model-row') as [HTMLElement, HTMLElement];
    expect(first).toHaveTextContent('llama3.2:3b');
    expect(first).toHaveTextContent('3.2B');
    expect(first).toHaveTextContent('Q4_K_M');
    expect(first).toHaveTextContent('llama');
    expect(within(first).getByTestId('model-context')).toHaveTextContent('128K');
    expect(within(first).getByTestId('model-size')).toHaveTextContent('2.0 GB');
    expect(first).toHaveTextContent('3 days ago');
    expect(within(first).getByText('llama3.2:3b')).toHaveAttribute('dir', 'auto');
    expect([...second.querySelectorAll('[data-cap]')].map((b) => b.textContent)).toEqual([
      'completion',
      'tools',
      'vision',
    ]);
    expect(within(second).getByTestId('model-context')).toHaveTextContent('32K');
    expect(within(second).getByTestId('model-size')).toHaveTextContent('4.7 GB');
    expect(section(LOCAL)).toHaveTextContent('2 models');
    expect(within(section(LOCAL)).getByTestId('host-disk-total')).toHaveTextContent('6.7 GB');
    expect(models.getInstalledModels).toHaveBeenCalledWith(LOCAL);
    expect(models.getInstalledModels).toHaveBeenCalledWith(REMOTE);
  });

  it('shows an error per host, with the status hint, without hiding the others', async () => {
    await openModels();
    const error = await within(section(REMOTE)).findByTestId('models-error');
    expect(error).toHaveTextContent("Couldn't list the models: Get \"http://192.168.1.20:11434/api/tags\": connection refused");
    expect(error).toHaveTextContent('Start Ollama on that machine (ollama serve), or fix the URL.');
    expect(within(section(LOCAL)).getAllByTestId('model-row')).toHaveLength(2);
  });

  it('shows an empty state for a host without models, and reloads on demand', async () => {
    mocked.getHosts.mockResolvedValue([LOCAL]);
    mocked.getStatus.mockResolvedValue(report([okHost(LOCAL, { modelCount: 0 })]));
    models.getInstalledModels.mockResolvedValue([]);
    await openModels();

    expect(await within(section(LOCAL)).findByTestId('models-empty')).toHaveTextContent(
      'No models are installed on this host yet.',
    );

    models.getInstalledModels.mockResolvedValue([installed()]);
    await fireEvent.click(within(section(LOCAL)).getByRole('button', { name: `Reload models of ${LOCAL}` }));
    await waitFor(() => expect(within(section(LOCAL)).getAllByTestId('model-row')).toHaveLength(1));
  });

  it('lists again when a failed host becomes reachable', async () => {
    await openModels();
    await within(section(REMOTE)).findByTestId('models-error');

    models.getInstalledModels.mockResolvedValue([installed({ name: 'phi3:mini', digest: 'p' })]);
    mocked.getStatus.mockResolvedValue(report([okHost(LOCAL), okHost(REMOTE)]));
    await fireEvent.click(screen.getByTestId('status-refresh'));

    await waitFor(() => expect(within(section(REMOTE)).getAllByTestId('model-row')).toHaveLength(1));
    expect(section(REMOTE)).toHaveTextContent('phi3:mini');
    expect(within(section(REMOTE)).queryByTestId('models-error')).toBeNull();
  });

  it('renders model names as text', async () => {
    mocked.getHosts.mockResolvedValue([LOCAL]);
    mocked.getStatus.mockResolvedValue(report([okHost(LOCAL)]));
    models.getInstalledModels.mockResolvedValue([installed({ name: '<b>bold</b><img src=x onerror=alert(1)>' })]);
    await openModels();
    expect(await screen.findByText('<b>bold</b><img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(document.querySelector('img, b')).toBeNull();
  });

  it('points to Settings when there are no hosts', async () => {
    mocked.getHosts.mockResolvedValue([]);
    mocked.getStatus.mockResolvedValue(report([]));
    await openModels();
    expect(screen.getByText('Add an Ollama host in Settings to see its models here.')).toBeInTheDocument();
    await fireEvent.click(within(screen.getByTestId('page-models')).getByRole('button', { name: 'Open Settings' }));
    expect(screen.getByTestId('page-settings')).toBeInTheDocument();
  });

  it('deletes a model only after confirmation', async () => {
    models.deleteModel.mockResolvedValue(undefined);
    await openModels();
    await waitFor(() => expect(within(section(LOCAL)).getAllByTestId('model-row')).toHaveLength(2));

    await fireEvent.click(within(row('llama3.2:3b')).getByTestId('model-delete'));
    const dialog = screen.getByTestId('confirm-dialog');
    expect(dialog).toHaveTextContent(`llama3.2:3b will be removed from ${LOCAL}, freeing 2.0 GB.`);
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    expect(models.deleteModel).not.toHaveBeenCalled();

    await fireEvent.click(within(row('llama3.2:3b')).getByTestId('model-delete'));
    models.getInstalledModels.mockResolvedValue([installed({ name: 'qwen2.5:7b-instruct', digest: 'b2' })]);
    await fireEvent.click(screen.getByTestId('confirm-delete'));
    expect(models.deleteModel).toHaveBeenCalledExactlyOnceWith(LOCAL, 'llama3.2:3b');
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
    await waitFor(() => expect(within(section(LOCAL)).getAllByTestId('model-row')).toHaveLength(1));
    expect(section(LOCAL)).not.toHaveTextContent('llama3.2:3b');
  });

  it('keeps the dialog open with the error when delete fails', async () => {
    models.deleteModel.mockRejectedValue(new Error('model "llama3.2:3b" not found'));
    await openModels();
    await waitFor(() => expect(within(section(LOCAL)).getAllByTestId('model-row')).toHaveLength(2));
    await fireEvent.click(within(row('llama3.2:3b')).getByTestId('model-delete'));
    await fireEvent.click(screen.getByTestId('confirm-delete'));
    expect(await within(screen.getByTestId('confirm-dialog')).findByRole('alert')).toHaveTextContent(
      'model "llama3.2:3b" not found',
    );
    expect(within(section(LOCAL)).getAllByTestId('model-row')).toHaveLength(2);
  });

  it('opens a details drawer with license, parameters and template as text', async () => {
    models.getModelDetails.mockResolvedValue(details({ template: '<script>alert(1)</script>{{ .Prompt }}' }));
    await openModels();
    await waitFor(() => expect(within(section(LOCAL)).getAllByTestId('model-row')).toHaveLength(2));
    await fireEvent.click(within(row('llama3.2:3b')).getByRole('button', { name: 'llama3.2:3b' }));
    const drawer = screen.getByTestId('model-details');
    expect(await within(drawer).findByTestId('details-license')).toHaveTextContent('LLAMA 3.2 COMMUNITY LICENSE');
    expect(within(drawer).getByTestId('details-parameters')).toHaveTextContent('stop "<|eot_id|>"');
    expect(within(drawer).getByTestId('details-template')).toHaveTextContent('<script>alert(1)</script>{{ .Prompt }}');
    expect(drawer.querySelector('script')).toBeNull();
    expect(drawer).toHaveTextContent('llama.block_count');
    expect(drawer).not.toHaveTextContent('tokenizer.ggml.tokens');
    expect(models.getModelDetails).toHaveBeenCalledWith(LOCAL, 'llama3.2:3b');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('model-details')).toBeNull();
  });
});

describe('Models page, tabs and the download queue', () => {
  it('keeps the tab and the live download list across navigation', async () => {
    await openModels();
    await fireEvent.click(screen.getByTestId('models-tab-downloads'));
    expect(screen.getByTestId('models-tab-downloads')).toHaveAttribute('aria-selected', 'true');
    await waitFor(() => expect(models.onDownload).toHaveBeenCalledTimes(1));
    emit(dl({ id: 7, name: 'qwen3:4b', completedBytes: 400_000_000 }));
    expect(await screen.findByTestId('download-row')).toHaveAttribute('data-state', 'downloading');

    await fireEvent.click(screen.getByTestId('nav-chats'));
    expect(screen.queryByTestId('page-models')).toBeNull();
    emit(dl({ id: 7, name: 'qwen3:4b', completedBytes: 1_000_000_000 }));

    await fireEvent.click(screen.getByTestId('nav-models'));
    expect(screen.getByTestId('models-tab-downloads')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('download-progress')).toHaveAttribute('aria-valuenow', '50');
    expect(screen.getByTestId('models-tab-downloads')).toHaveTextContent('1');
    expect(models.onDownload).toHaveBeenCalledTimes(1);
  });

  it('lists the installed models again when a download finishes', async () => {
    await openModels();
    await waitFor(() => expect(within(section(LOCAL)).getAllByTestId('model-row')).toHaveLength(2));
    await waitFor(() => expect(models.onDownload).toHaveBeenCalled());
    const calls = models.getInstalledModels.mock.calls.length;
    emit(dl({ id: 3, state: 'done', completedBytes: 2_000_000_000 }));
    await waitFor(() => expect(models.getInstalledModels.mock.calls.length).toBeGreaterThan(calls));
  });

  it('moves between tabs with the arrow keys', async () => {
    await openModels();
    const installedTab = screen.getByTestId('models-tab-installed');
    await fireEvent.keyDown(installedTab, { key: 'ArrowRight' });
    expect(screen.getByTestId('models-tab-running')).toHaveAttribute('aria-selected', 'true');
    await fireEvent.keyDown(screen.getByTestId('models-tab-running'), { key: 'ArrowLeft' });
    await fireEvent.keyDown(screen.getByTestId('models-tab-installed'), { key: 'ArrowLeft' });
    expect(screen.getByTestId('models-tab-import')).toHaveAttribute('aria-selected', 'true');
  });
});
