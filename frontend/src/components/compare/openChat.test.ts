// "Continue with this one": the shell switches to the Chats page and opens
// the chat the Compare page asked for.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../App.svelte';
import * as api from '../../lib/api';
import { requestOpenChat } from '../../lib/api/compare';
import { LOCAL, okHost, report } from '../../test/fixtures';
import { chatView, installFakeApp, msg } from '../chat/fake.test-helpers';

vi.mock('../../lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api')>();
  return { ...actual, getStatus: vi.fn(), getHosts: vi.fn(), getVersion: vi.fn(), getModels: vi.fn() };
});

const mocked = vi.mocked(api);
let fake: ReturnType<typeof installFakeApp>;

beforeEach(() => {
  fake = installFakeApp();
  for (const m of ['ListCompares', 'PromptSets']) fake.app[m] = vi.fn().mockResolvedValue([]);
  mocked.getHosts.mockResolvedValue([LOCAL]);
  mocked.getStatus.mockResolvedValue(report([okHost(LOCAL)]));
  mocked.getModels.mockResolvedValue([]);
});
afterEach(() => fake.uninstall());

describe('open chat from Compare', () => {
  it('switches to Chats and opens the requested chat', async () => {
    fake.app['GetChat']!.mockResolvedValue(
      chatView([msg({ id: 1, content: 'From the comparison' }), msg({ id: 2, parentId: 1, role: 'assistant', content: 'Blue light scatters' })], { id: 42 }),
    );
    render(App);
    await fireEvent.keyDown(window, { key: '4', ctrlKey: true });
    await screen.findByTestId('page-compare');
    requestOpenChat(42);
    await waitFor(() => expect(fake.app['GetChat']).toHaveBeenCalledWith(42));
    expect(screen.queryByTestId('page-compare')).toBeNull();
    expect(await screen.findByText('Blue light scatters')).toBeInTheDocument();
  });
});
