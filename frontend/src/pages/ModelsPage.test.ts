import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App.svelte';
import * as api from '../lib/api';
import { downHost, LOCAL, model, okHost, REMOTE, report } from '../test/fixtures';

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

const mocked = vi.mocked(api);

beforeEach(() => {
  mocked.getVersion.mockResolvedValue({ version: '0.1.0', commit: 'c', goVersion: 'go', os: 'linux', arch: 'amd64' });
  mocked.getHosts.mockResolvedValue([LOCAL, REMOTE]);
  mocked.getStatus.mockResolvedValue(report([okHost(LOCAL), downHost(REMOTE)]));
  mocked.getModels.mockImplementation((host) =>
    host === LOCAL
      ? Promise.resolve([
          model(),
          model({
            name: 'qwen2.5:7b-instruct',
            sizeBytes: 4_683_087_332,
            family: 'qwen2',
            parameterSize: '7.6B',
            quantization: 'Q4_K_M',
            digest: 'b2',
          }),
        ])
      : Promise.reject(new Error('Get "http://192.168.1.20:11434/api/tags": connection refused')),
  );
});

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

describe('Models page', () => {
  it('lists the models of each host with formatted sizes', async () => {
    await openModels();
    await waitFor(() => expect(within(section(LOCAL)).getAllByTestId('model-row')).toHaveLength(2));

    const [first, second] = within(section(LOCAL)).getAllByTestId('model-row') as [HTMLElement, HTMLElement];
    expect(first).toHaveTextContent('llama3.2:3b');
    expect(first).toHaveTextContent('3.2B');
    expect(first).toHaveTextContent('Q4_K_M');
    expect(first).toHaveTextContent('llama');
    expect(within(first).getByTestId('model-size')).toHaveTextContent('2.0 GB');
    expect(first).toHaveTextContent('3 days ago');
    expect(within(first).getByText('llama3.2:3b')).toHaveAttribute('dir', 'auto');
    expect(within(second).getByTestId('model-size')).toHaveTextContent('4.7 GB');
    expect(section(LOCAL)).toHaveTextContent('2 models');
    expect(mocked.getModels).toHaveBeenCalledWith(LOCAL);
    expect(mocked.getModels).toHaveBeenCalledWith(REMOTE);
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
    mocked.getModels.mockResolvedValue([]);
    await openModels();

    expect(await within(section(LOCAL)).findByTestId('models-empty')).toHaveTextContent(
      'No models are installed on this host yet.',
    );

    mocked.getModels.mockResolvedValue([model()]);
    await fireEvent.click(within(section(LOCAL)).getByRole('button', { name: `Reload models of ${LOCAL}` }));
    await waitFor(() => expect(within(section(LOCAL)).getAllByTestId('model-row')).toHaveLength(1));
  });

  it('lists again when a failed host becomes reachable', async () => {
    await openModels();
    await within(section(REMOTE)).findByTestId('models-error');

    mocked.getModels.mockResolvedValue([model({ name: 'phi3:mini', digest: 'p' })]);
    mocked.getStatus.mockResolvedValue(report([okHost(LOCAL), okHost(REMOTE)]));
    await fireEvent.click(screen.getByTestId('status-refresh'));

    await waitFor(() => expect(within(section(REMOTE)).getAllByTestId('model-row')).toHaveLength(1));
    expect(section(REMOTE)).toHaveTextContent('phi3:mini');
    expect(within(section(REMOTE)).queryByTestId('models-error')).toBeNull();
  });

  it('renders model names as text', async () => {
    mocked.getHosts.mockResolvedValue([LOCAL]);
    mocked.getStatus.mockResolvedValue(report([okHost(LOCAL)]));
    mocked.getModels.mockResolvedValue([model({ name: '<b>bold</b><img src=x onerror=alert(1)>' })]);
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
});
