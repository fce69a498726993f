import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App.svelte';
import * as api from '../lib/api';
import { deferred, downHost, LOCAL, okHost, REMOTE, report } from '../test/fixtures';

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
  mocked.getHosts.mockResolvedValue([LOCAL]);
  mocked.getStatus.mockResolvedValue(report([okHost(LOCAL)]));
  mocked.getVersion.mockResolvedValue({
    version: '0.1.0',
    commit: '1a2b3c4',
    goVersion: 'go1.26.8',
    os: 'linux',
    arch: 'amd64',
  });
  mocked.getModels.mockResolvedValue([]);
});

async function openSettings() {
  render(App);
  await waitFor(() => expect(screen.getByTestId('app-ready')).toHaveAttribute('data-ready', 'true'));
  await fireEvent.click(screen.getByTestId('nav-settings'));
  return screen.getByTestId('page-settings');
}

function cardUrls(): string[] {
  return screen.getAllByTestId('host-card').map((el) => el.getAttribute('data-url') ?? '');
}

describe('Settings › hosts', () => {
  it('lists each host with its full status', async () => {
    mocked.getHosts.mockResolvedValue([LOCAL, REMOTE]);
    mocked.getStatus.mockResolvedValue(report([okHost(LOCAL), downHost(REMOTE)]));
    await openSettings();

    expect(cardUrls()).toEqual([LOCAL, REMOTE]);
    const [ok, down] = screen.getAllByTestId('host-card') as [HTMLElement, HTMLElement];
    expect(ok).toHaveAttribute('data-state', 'ok');
    expect(ok).toHaveTextContent('Connected');
    expect(ok).toHaveTextContent('0.17.4');
    expect(ok).toHaveTextContent('3 models');
    expect(ok).toHaveTextContent('12 ms');
    expect(down).toHaveAttribute('data-state', 'unreachable');
    expect(down).toHaveTextContent('Not reachable');
    expect(down).toHaveTextContent('Start Ollama on that machine (ollama serve), or fix the URL.');
    expect(down).toHaveTextContent('connection refused');
    expect(within(down).getByText(/Start Ollama on that machine/)).toHaveAttribute('dir', 'auto');
  });

  it("shows the backend's error inline for an invalid host and keeps the input", async () => {
    const user = userEvent.setup();
    mocked.addHost.mockRejectedValue(new Error('url: "localhost:99999" is not a valid URL (port out of range)'));
    await openSettings();

    const input = screen.getByTestId('host-input');
    await user.type(input, 'localhost:99999');
    await user.click(screen.getByTestId('host-add'));

    const error = await screen.findByTestId('host-error');
    expect(error).toHaveTextContent('url: "localhost:99999" is not a valid URL (port out of range)');
    expect(error).toHaveAttribute('dir', 'auto');
    expect(mocked.addHost).toHaveBeenCalledWith('localhost:99999');
    expect(input).toHaveValue('localhost:99999');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAttribute('aria-describedby', 'host-error');
    expect(cardUrls()).toEqual([LOCAL]);

    // Typing again clears the message.
    await user.type(input, '1');
    expect(screen.queryByTestId('host-error')).toBeNull();
  });

  it('asks for a URL without calling the backend when the input is empty', async () => {
    await openSettings();
    await fireEvent.click(screen.getByTestId('host-add'));
    expect(await screen.findByTestId('host-error')).toHaveTextContent('Enter the URL of an Ollama server');
    expect(mocked.addHost).not.toHaveBeenCalled();
  });

  it('adds a valid host: clears the input, shows it checking, then its status', async () => {
    const user = userEvent.setup();
    mocked.addHost.mockResolvedValue([LOCAL, REMOTE]);
    await openSettings();
    const pending = deferred<api.StatusReport>();
    mocked.getStatus.mockReturnValue(pending.promise);

    const input = screen.getByTestId('host-input');
    await user.type(input, `  ${REMOTE} {Enter}`);

    await waitFor(() => expect(cardUrls()).toEqual([LOCAL, REMOTE]));
    expect(mocked.addHost).toHaveBeenCalledWith(REMOTE);
    expect(input).toHaveValue('');
    expect(screen.queryByTestId('host-error')).toBeNull();
    const sidebarRow = screen
      .getAllByTestId('host-status')
      .find((el) => el.getAttribute('data-url') === REMOTE);
    expect(sidebarRow).toHaveAttribute('data-state', 'checking');

    pending.resolve(report([okHost(LOCAL), okHost(REMOTE, { version: '0.18.0' })]));
    await waitFor(() => expect(sidebarRow).toHaveAttribute('data-state', 'ok'));
    expect(sidebarRow).toHaveTextContent('Ollama 0.18.0');
  });

  it('removes a host and updates both lists', async () => {
    mocked.getHosts.mockResolvedValue([LOCAL, REMOTE]);
    mocked.getStatus.mockResolvedValue(report([okHost(LOCAL), downHost(REMOTE)]));
    mocked.removeHost.mockResolvedValue([LOCAL]);
    await openSettings();

    const removeButton = screen
      .getAllByTestId('host-remove')
      .find((el) => el.getAttribute('data-url') === REMOTE);
    if (!removeButton) throw new Error('no remove button');
    await fireEvent.click(removeButton);

    await waitFor(() => expect(cardUrls()).toEqual([LOCAL]));
    expect(mocked.removeHost).toHaveBeenCalledWith(REMOTE);
    expect(screen.getAllByTestId('host-status').map((el) => el.getAttribute('data-url'))).toEqual([LOCAL]);
  });

  it('shows why a remove failed', async () => {
    mocked.removeHost.mockRejectedValue('cannot remove the last host');
    await openSettings();
    await fireEvent.click(screen.getByTestId('host-remove'));
    expect(await screen.findByTestId('host-remove-error')).toHaveTextContent(
      `Couldn't remove ${LOCAL}: cannot remove the last host`,
    );
    expect(cardUrls()).toEqual([LOCAL]);
  });
});

describe('Settings › data and about', () => {
  it('shows where data lives and the version', async () => {
    await openSettings();
    expect(screen.getByTestId('data-dir')).toHaveTextContent('/home/sara/.local/share/wadi');
    expect(screen.getByTestId('db-path')).toHaveTextContent('/home/sara/.local/share/wadi/wadi.db');
    expect(await screen.findByTestId('about-version')).toHaveTextContent('0.1.0');
    expect(screen.getByTestId('about-commit')).toHaveTextContent('1a2b3c4');
  });

  it('says so when the version is unavailable', async () => {
    mocked.getVersion.mockRejectedValue(new api.BackendUnavailableError());
    await openSettings();
    expect(await screen.findByText('Version unknown: Wadi backend not available')).toBeInTheDocument();
  });
});
