import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fr from '../../lib/api/firstrun';
import { StatusStore } from '../../lib/status.svelte';
import { downHost, LOCAL, okHost, report } from '../../test/fixtures';
import Welcome from './Welcome.svelte';

vi.mock('../../lib/api/firstrun', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api/firstrun')>();
  return {
    ...actual,
    getMachineSummary: vi.fn(),
    getSuggestions: vi.fn(),
    startOllama: vi.fn(),
    dismissWelcome: vi.fn(),
    downloadModel: vi.fn(),
  };
});
const m = vi.mocked(fr);

const ENGINE = 'http://127.0.0.1:11435';

function info(over: Partial<fr.FirstRunInfo> = {}): fr.FirstRunInfo {
  return {
    show: true,
    engine: { kind: 'none', url: '', binary: '', note: '' },
    systemOllama: '',
    dataDir: '/home/sara/.local/share/wadi',
    ...over,
  };
}

function storeWith(hosts: ReturnType<typeof okHost>[]): StatusStore {
  const s = new StatusStore();
  s.report = report(hosts);
  return s;
}

beforeEach(() => {
  vi.resetAllMocks();
  m.getMachineSummary.mockResolvedValue({
    ramBytes: 16 * 2 ** 30,
    cpuModel: 'Ryzen 7',
    cpuCores: 8,
    gpus: [],
    unifiedMemory: false,
    freeDiskBytes: 200 * 2 ** 30,
  });
  m.getSuggestions.mockResolvedValue([
    {
      role: 'chat',
      pullName: 'qwen3:4b',
      name: 'Qwen3 4B',
      description: 'Small, fast general chat.',
      downloadBytes: 2.5 * 2 ** 30,
      verdict: 'cpu',
      summary: 'about 3.4 GB of 16 GB RAM',
    },
  ]);
});

describe('Welcome', () => {
  it('shows the built-in engine when it serves Wadi, and downloads to it', async () => {
    const store = storeWith([downHost(LOCAL), okHost(ENGINE)]);
    render(Welcome, { info: info({ engine: { kind: 'builtin', url: ENGINE, binary: '/usr/lib/wadi/ollama', note: '' } }), store, onclose: () => {} });
    const card = screen.getByTestId('welcome-engine');
    expect(card.dataset.kind).toBe('builtin');
    expect(card.textContent).toContain(ENGINE);
    expect(await screen.findByText('No GPU: models run on the CPU')).toBeTruthy();
    await userEvent.click(await screen.findByTestId('welcome-download'));
    expect(m.downloadModel).toHaveBeenCalledWith(ENGINE, 'qwen3:4b');
  });

  it('offers to start an installed Ollama that is not running', async () => {
    const store = storeWith([downHost(LOCAL)]);
    m.startOllama.mockRejectedValue(new Error('start /usr/bin/ollama serve: permission denied'));
    render(Welcome, { info: info({ systemOllama: '/usr/bin/ollama' }), store, onclose: () => {} });
    expect(screen.getByTestId('welcome-engine').dataset.kind).toBe('installed');
    await userEvent.click(screen.getByTestId('welcome-start-ollama'));
    expect(m.startOllama).toHaveBeenCalled();
    expect((await screen.findByRole('alert')).textContent).toContain('permission denied');
    // Downloads need a healthy host.
    expect((await screen.findByTestId('welcome-download')).hasAttribute('disabled')).toBe(true);
  });

  it('gives install instructions when Ollama is absent, and closes for good', async () => {
    const onclose = vi.fn();
    m.dismissWelcome.mockResolvedValue(undefined);
    render(Welcome, { info: info(), store: storeWith([downHost(LOCAL)]), onclose });
    const card = screen.getByTestId('welcome-engine');
    expect(card.dataset.kind).toBe('absent');
    expect(card.textContent).toContain('https://ollama.com/install.sh');
    await userEvent.click(screen.getByTestId('welcome-done'));
    await waitFor(() => expect(onclose).toHaveBeenCalled());
    expect(m.dismissWelcome).toHaveBeenCalled();
  });
});
