import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as modelsApi from '../../lib/api/models';
import { downloads } from '../../lib/models/downloads.svelte';
import { resetModelsView } from '../../lib/models/view.svelte';
import { LOCAL, REMOTE } from '../../test/fixtures';
import { catalog, dl, fit } from '../../test/models';
import CatalogTab from './CatalogTab.svelte';

vi.mock('../../lib/api/models', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/api/models')>();
  return {
    ...actual,
    getCatalog: vi.fn(),
    startDownload: vi.fn(),
    onDownload: vi.fn(),
    getDownloads: vi.fn(),
    fitFor: vi.fn(),
  };
});

const models = vi.mocked(modelsApi);

beforeEach(() => {
  resetModelsView();
  downloads.reset();
  models.getCatalog.mockResolvedValue(catalog());
  models.onDownload.mockReturnValue(() => {});
  models.getDownloads.mockResolvedValue([]);
});
afterEach(() => downloads.reset());

function card(id: string): HTMLElement {
  const el = screen.getAllByTestId('catalog-entry').find((c) => c.getAttribute('data-id') === id);
  if (!el) throw new Error(`no card ${id}`);
  return el;
}

const shownIds = () => screen.queryAllByTestId('catalog-entry').map((c) => c.getAttribute('data-id'));

async function show(hosts = [LOCAL]) {
  render(CatalogTab, { hosts });
  await waitFor(() => expect(screen.getAllByTestId('catalog-entry')).toHaveLength(3));
}

describe('Catalog tab', () => {
  it('shows each entry as a card with description, license, context and capabilities', async () => {
    await show();
    const qwen = card('qwen3');
    expect(qwen).toHaveTextContent('Qwen3');
    expect(qwen).toHaveTextContent('General chat and reasoning with a thinking mode.');
    expect(qwen).toHaveTextContent('License: Apache-2.0');
    expect(qwen).toHaveTextContent('Context 8K default, 128K max');
    expect([...qwen.querySelectorAll('[data-cap]')].map((c) => c.textContent)).toEqual(['completion', 'tools', 'thinking']);
    expect(screen.getByTestId('catalog-count')).toHaveTextContent('3 models of 3');
    expect(models.getCatalog).toHaveBeenCalledTimes(1);
  });

  it('labels each variant with its fit verdict and shows the numbers on demand', async () => {
    await show();
    const chips = within(card('qwen3')).getAllByTestId('fit-chip');
    expect(chips.map((c) => [c.dataset.verdict, c.textContent?.trim()])).toEqual([
      ['gpu', 'Fits on GPU'],
      ['split', 'GPU + CPU (slower)'],
      ['no', 'Does not fit'],
    ]);
    expect(within(card('nomic-embed-text')).getByTestId('fit-chip')).toHaveTextContent('Runs on CPU');
    expect(chips[0]).toHaveAttribute('title', expect.stringContaining('Needs 6.3 GB'));

    expect(within(card('qwen3')).queryByTestId('fit-numbers')).toBeNull();
    await fireEvent.click(chips[1]!);
    const numbers = within(card('qwen3')).getByTestId('fit-numbers');
    expect(numbers).toHaveTextContent('Weights 4.7 GB');
    expect(numbers).toHaveTextContent('KV cache at 8K 1.1 GB');
    expect(numbers).toHaveTextContent('Total 6.3 GB');
    expect(numbers).toHaveTextContent('In VRAM / in RAM 4.0 GB / 2.3 GB');
    expect(chips[1]).toHaveAttribute('aria-expanded', 'true');
    await fireEvent.click(chips[1]!);
    expect(within(card('qwen3')).queryByTestId('fit-numbers')).toBeNull();
  });

  it('recomputes the fit at a chosen context length', async () => {
    models.fitFor.mockResolvedValue(
      fit('cpu', { numCtx: 131072, kvBytes: 18e9, totalBytes: 23.2e9, vramBytes: 0, ramBytes: 23.2e9 }),
    );
    await show();
    await fireEvent.click(within(card('qwen3')).getAllByTestId('fit-chip')[0]!);
    const select = within(card('qwen3')).getByTestId('fit-context') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['2K', '4K', '8K', '16K', '32K', '64K', '128K']);
    expect(select).toHaveValue('8192');
    await fireEvent.change(select, { target: { value: '131072' } });
    expect(models.fitFor).toHaveBeenCalledExactlyOnceWith('qwen3:4b', 131072);
    const numbers = within(card('qwen3')).getByTestId('fit-numbers');
    await waitFor(() => expect(numbers).toHaveTextContent('KV cache at 128K 18 GB'));
    expect(numbers).toHaveTextContent('Total 23 GB');
    expect(within(card('qwen3')).getAllByTestId('fit-chip').map((c) => c.dataset.verdict)).toContain('cpu');

    models.fitFor.mockRejectedValue('fit qwen3:4b: numCtx 2048 is below the minimum');
    await fireEvent.change(select, { target: { value: '2048' } });
    expect(await within(card('qwen3')).findByRole('alert')).toHaveTextContent('numCtx 2048 is below the minimum');
  });

  it('marks server-only entries with the local alternative and the remote-host hint', async () => {
    await show();
    const ds = card('deepseek-v3');
    expect(within(ds).getByTestId('server-only')).toHaveTextContent('Needs a server');
    expect(within(ds).getByTestId('server-hint')).toHaveTextContent('Try deepseek-r1:14b locally');
    expect(within(ds).getByTestId('server-hint')).toHaveTextContent('run it on a remote host');
    expect(within(card('qwen3')).queryByTestId('server-only')).toBeNull();
  });

  it('filters by search, capability, family, size and fits-only', async () => {
    await show();
    await fireEvent.input(screen.getByTestId('catalog-search'), { target: { value: 'embed' } });
    expect(shownIds()).toEqual(['nomic-embed-text']);
    await fireEvent.input(screen.getByTestId('catalog-search'), { target: { value: '' } });

    await fireEvent.change(screen.getByTestId('catalog-capability'), { target: { value: 'thinking' } });
    expect(shownIds()).toEqual(['qwen3', 'deepseek-v3']);
    await fireEvent.change(screen.getByTestId('catalog-family'), { target: { value: 'deepseek' } });
    expect(shownIds()).toEqual(['deepseek-v3']);
    await fireEvent.change(screen.getByTestId('catalog-family'), { target: { value: '' } });

    await fireEvent.click(screen.getByTestId('catalog-fits'));
    expect(shownIds()).toEqual(['qwen3']);
    expect(within(card('qwen3')).getAllByTestId('variant-download').map((b) => b.dataset.name)).toEqual([
      'qwen3:4b',
      'qwen3:14b',
    ]);
    await fireEvent.change(screen.getByTestId('catalog-size'), { target: { value: '4' } });
    expect(within(card('qwen3')).getAllByTestId('variant-download').map((b) => b.dataset.name)).toEqual(['qwen3:4b']);

    await fireEvent.change(screen.getByTestId('catalog-family'), { target: { value: 'deepseek' } });
    expect(screen.getByTestId('catalog-empty')).toHaveTextContent('No model matches these filters.');
    await fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(shownIds()).toHaveLength(3);
    expect(screen.getByTestId('catalog-search')).toHaveValue('');
  });

  it('downloads a variant to the chosen host and shows its progress on the button', async () => {
    models.startDownload.mockImplementation(async (host, name) => dl({ id: 4, host, name, state: 'queued', completedBytes: 0 }));
    await show([LOCAL, REMOTE]);
    await fireEvent.change(screen.getByTestId('catalog-host'), { target: { value: REMOTE } });
    const button = within(card('qwen3')).getAllByTestId('variant-download')[0]!;
    await fireEvent.click(button);
    expect(models.startDownload).toHaveBeenCalledExactlyOnceWith(REMOTE, 'qwen3:4b');
    await waitFor(() => expect(button).toHaveTextContent('Queued 0%'));
    expect(button).toBeDisabled();
    downloads.apply(dl({ id: 4, host: REMOTE, name: 'qwen3:4b', completedBytes: 1_000_000_000 }));
    await waitFor(() => expect(button).toHaveTextContent('Downloading 50%'));
  });

  it('shows a refused download (e.g. not enough disk) under its card', async () => {
    models.startDownload.mockRejectedValue(
      'not enough free disk for qwen3:14b: needs 9.0 GB, 3.1 GB free in /home/sara/.ollama/models',
    );
    await show();
    await fireEvent.click(within(card('qwen3')).getAllByTestId('variant-download')[1]!);
    expect(await within(card('qwen3')).findByRole('alert')).toHaveTextContent(
      "Couldn't download qwen3:14b: not enough free disk for qwen3:14b: needs 9.0 GB, 3.1 GB free",
    );
  });

  it('disables downloads without a host, and says why on load failure', async () => {
    await show([]);
    expect(within(card('qwen3')).getAllByTestId('variant-download')[0]).toBeDisabled();
  });

  it('renders a long list in steps, and starts over when the filter changes', async () => {
    render(CatalogTab, { hosts: [LOCAL], pageSize: 2 });
    await waitFor(() => expect(shownIds()).toEqual(['qwen3', 'deepseek-v3']));
    expect(screen.getByTestId('catalog-count')).toHaveTextContent('3 models of 3');
    await fireEvent.click(screen.getByTestId('catalog-more'));
    expect(shownIds()).toHaveLength(3);
    expect(screen.queryByTestId('catalog-more')).toBeNull();
    await fireEvent.input(screen.getByTestId('catalog-search'), { target: { value: 'e' } });
    await waitFor(() => expect(shownIds()).toHaveLength(2));
    expect(screen.getByTestId('catalog-more')).toHaveTextContent('Show more (1 left)');
  });

  it('reports a catalog that cannot be loaded', async () => {
    models.getCatalog.mockRejectedValue(new Error('catalog: assets/catalog.json line 3: unexpected end of JSON'));
    render(CatalogTab, { hosts: [LOCAL] });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Couldn't load the catalog: catalog: assets/catalog.json line 3: unexpected end of JSON",
    );
  });
});
