import { render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import * as api from './lib/api';
import { requestPage } from './lib/nav';
import { LOCAL, okHost, report } from './test/fixtures';

vi.mock('./lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./lib/api')>();
  return { ...actual, getStatus: vi.fn(), getHosts: vi.fn(), getVersion: vi.fn(), getModels: vi.fn() };
});

const mocked = vi.mocked(api);

beforeEach(() => {
  mocked.getHosts.mockResolvedValue([LOCAL]);
  mocked.getStatus.mockResolvedValue(report([okHost(LOCAL)]));
  mocked.getVersion.mockResolvedValue({ version: '0.1.0', commit: 'abc', goVersion: 'go1.26.8', os: 'linux', arch: 'amd64' });
  mocked.getModels.mockResolvedValue([]);
});

describe('requestPage', () => {
  it('shows the page another page asked for, and ignores unknown pages', async () => {
    render(App);
    await screen.findByTestId('page-chats');
    requestPage('documents');
    await waitFor(() => expect(screen.getByTestId('page-documents')).toBeInTheDocument());
    window.dispatchEvent(new CustomEvent('wadi:navigate', { detail: 'nowhere' }));
    await Promise.resolve();
    expect(screen.getByTestId('page-documents')).toBeInTheDocument();
  });
});
