import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import * as api from './lib/api';
import { deferred, downHost, LOCAL, okHost, REMOTE, report } from './test/fixtures';

vi.mock('./lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./lib/api')>();
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
  mocked.getHosts.mockResolvedValue([LOCAL, REMOTE]);
  mocked.getStatus.mockResolvedValue(report([okHost(LOCAL), downHost(REMOTE)]));
  mocked.getVersion.mockResolvedValue({
    version: '0.1.0',
    commit: '1a2b3c4',
    goVersion: 'go1.26.8',
    os: 'linux',
    arch: 'amd64',
  });
  mocked.getModels.mockResolvedValue([]);
});

afterEach(() => {
  vi.useRealTimers();
});

function appRoot() {
  return screen.getByTestId('app-ready');
}

async function ready() {
  await waitFor(() => expect(appRoot()).toHaveAttribute('data-ready', 'true'));
}

function hostRow(url: string): HTMLElement {
  const row = screen
    .getAllByTestId('host-status')
    .find((el) => el.getAttribute('data-url') === url);
  if (!row) throw new Error(`no host-status row for ${url}`);
  return row;
}

describe('sidebar status', () => {
  it('shows the Ollama version of an ok host and the hint of an unreachable one', async () => {
    render(App);
    await ready();

    const ok = hostRow(LOCAL);
    expect(ok).toHaveAttribute('data-state', 'ok');
    expect(ok).toHaveTextContent('Ollama 0.17.4');
    expect(ok).toHaveTextContent('3 models');
    expect(ok).toHaveTextContent('12 ms');

    const down = hostRow(REMOTE);
    expect(down).toHaveAttribute('data-state', 'unreachable');
    expect(down).toHaveTextContent('Start Ollama on that machine (ollama serve), or fix the URL.');
    expect(down).not.toHaveTextContent('Ollama 0.17.4');
  });

  it('shows "Checking…" while Status() is pending, without blocking navigation', async () => {
    const pending = deferred<api.StatusReport>();
    mocked.getStatus.mockReturnValue(pending.promise);
    render(App);

    await waitFor(() => expect(hostRow(LOCAL)).toHaveAttribute('data-state', 'checking'));
    expect(hostRow(LOCAL)).toHaveTextContent('Checking…');
    expect(appRoot()).toHaveAttribute('data-ready', 'false');

    // The UI is usable while the check runs.
    await fireEvent.click(screen.getByTestId('nav-models'));
    expect(screen.getByTestId('page-models')).toBeInTheDocument();

    pending.resolve(report([okHost(LOCAL), downHost(REMOTE)]));
    await ready();
    expect(hostRow(LOCAL)).toHaveAttribute('data-state', 'ok');
    expect(screen.queryByText('Checking…')).toBeNull();
  });

  it('shows the error of a rejected Status() and navigation still works', async () => {
    mocked.getStatus.mockRejectedValue(new Error('Status() did not answer within 10 s'));
    render(App);
    await ready();

    expect(screen.getByTestId('status-error')).toHaveTextContent(
      "Couldn't check hosts: Status() did not answer within 10 s",
    );
    for (const page of ['models', 'documents', 'compare', 'settings', 'chats']) {
      await fireEvent.click(screen.getByTestId(`nav-${page}`));
      expect(screen.getByTestId(`page-${page}`)).toBeInTheDocument();
    }
  });

  it('shows "Wadi backend not available" when the bridge is missing', async () => {
    const missing = new api.BackendUnavailableError();
    mocked.getStatus.mockRejectedValue(missing);
    mocked.getHosts.mockRejectedValue(missing);
    render(App);
    await ready();

    expect(screen.getByTestId('backend-missing')).toHaveTextContent('Wadi backend not available');
    expect(screen.getByTestId('status-error')).toHaveTextContent('Wadi backend not available');
    expect(screen.getByTestId('no-host-notice')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('nav-settings'));
    expect(screen.getByTestId('page-settings')).toBeInTheDocument();
  });

  it('re-checks on the Refresh button, every 15 s, and on window focus', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    render(App);
    await ready();
    expect(mocked.getStatus).toHaveBeenCalledTimes(1);

    await fireEvent.click(screen.getByTestId('status-refresh'));
    await waitFor(() => expect(mocked.getStatus).toHaveBeenCalledTimes(2));

    vi.advanceTimersByTime(15_000);
    await waitFor(() => expect(mocked.getStatus).toHaveBeenCalledTimes(3));

    vi.setSystemTime(Date.now() + 5_000);
    window.dispatchEvent(new FocusEvent('focus'));
    await waitFor(() => expect(mocked.getStatus).toHaveBeenCalledTimes(4));
  });

  it('keeps the last result while a refresh runs', async () => {
    render(App);
    await ready();
    const pending = deferred<api.StatusReport>();
    mocked.getStatus.mockReturnValue(pending.promise);

    await fireEvent.click(screen.getByTestId('status-refresh'));
    expect(hostRow(LOCAL)).toHaveAttribute('data-state', 'ok');
    expect(screen.getAllByText('Checking…').length).toBeGreaterThan(0);

    pending.resolve(report([downHost(LOCAL, { hint: 'Start Ollama: run ollama serve.' }), downHost(REMOTE)]));
    await waitFor(() => expect(hostRow(LOCAL)).toHaveAttribute('data-state', 'unreachable'));
    expect(hostRow(LOCAL)).toHaveTextContent('Start Ollama: run ollama serve.');
  });

  it('renders backend text as text, never as HTML', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    mocked.getStatus.mockResolvedValue(
      report([okHost(LOCAL), downHost(REMOTE, { hint: evil, error: evil })]),
    );
    render(App);
    await ready();

    expect(hostRow(REMOTE)).toHaveTextContent(evil);
    expect(document.querySelector('img')).toBeNull();

    await fireEvent.click(screen.getByTestId('nav-settings'));
    await screen.findByTestId('host-list');
    expect(screen.getAllByText(evil).length).toBeGreaterThan(0);
    expect(document.querySelector('img')).toBeNull();
  });

  it('marks host, version and hint text with dir="auto"', async () => {
    render(App);
    await ready();

    const okLine = within(hostRow(LOCAL)).getByText(/Ollama 0\.17\.4/).closest('[dir]');
    expect(okLine).toHaveAttribute('dir', 'auto');
    const hint = within(hostRow(REMOTE)).getByText(/Start Ollama on that machine/);
    expect(hint).toHaveAttribute('dir', 'auto');
    const url = within(hostRow(REMOTE)).getByTitle(REMOTE);
    expect(url).toHaveAttribute('dir', 'auto');
  });
});

describe('navigation', () => {
  it('opens Chats first and switches pages from the sidebar', async () => {
    render(App);
    expect(screen.getByTestId('page-chats')).toBeInTheDocument();
    expect(screen.getByTestId('nav-chats')).toHaveAttribute('aria-current', 'page');

    await fireEvent.click(screen.getByTestId('nav-compare'));
    expect(screen.getByTestId('page-compare')).toBeInTheDocument();
    expect(screen.queryByTestId('page-chats')).toBeNull();
    expect(screen.getByTestId('nav-compare')).toHaveAttribute('aria-current', 'page');
    expect(screen.getByTestId('nav-chats')).not.toHaveAttribute('aria-current');
  });

  it('is keyboard navigable: arrows move focus, Enter opens, Ctrl+digit jumps', async () => {
    const user = userEvent.setup();
    render(App);

    screen.getByTestId('nav-chats').focus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByTestId('nav-models')).toHaveFocus();
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(screen.getByTestId('nav-settings')).toHaveFocus();
    await user.keyboard('{Home}');
    expect(screen.getByTestId('nav-chats')).toHaveFocus();
    await user.keyboard('{End}{Enter}');
    expect(screen.getByTestId('page-settings')).toBeInTheDocument();

    await user.keyboard('{Control>}3{/Control}');
    expect(screen.getByTestId('page-documents')).toBeInTheDocument();
  });

  it('points to the status from empty pages when no host is reachable', async () => {
    mocked.getStatus.mockResolvedValue(report([downHost(LOCAL), downHost(REMOTE)]));
    render(App);
    await ready();

    const notice = screen.getByTestId('no-host-notice');
    expect(notice).toHaveTextContent('No Ollama host is reachable right now');
    await fireEvent.click(within(notice).getByRole('button', { name: 'Open Settings' }));
    expect(screen.getByTestId('page-settings')).toBeInTheDocument();
  });

  it('does not show the notice when a host is reachable', async () => {
    render(App);
    await ready();
    expect(screen.queryByTestId('no-host-notice')).toBeNull();
  });
});
