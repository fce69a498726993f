import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../App.svelte';
import * as api from '../lib/api';
import * as docsApi from '../lib/api/docs';
import * as modelsApi from '../lib/api/models';
import { docsJobs, resetDocsView } from '../lib/docs.svelte';
import { downloads } from '../lib/models/downloads.svelte';
import { resetModelsView } from '../lib/models/view.svelte';
import { coll, DIR, docFile, hit, job } from '../test/docs';
import { LOCAL, okHost, report } from '../test/fixtures';
import { dl } from '../test/models';

vi.mock('../lib/api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../lib/api')>();
  return { ...actual, getStatus: vi.fn(), getHosts: vi.fn(), getVersion: vi.fn(), getModels: vi.fn() };
});

vi.mock('../lib/api/docs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../lib/api/docs')>();
  return {
    ...actual,
    listCollections: vi.fn(),
    collectionFiles: vi.fn(),
    collectionSources: vi.fn(),
    createCollection: vi.fn(),
    renameCollection: vi.fn(),
    deleteCollection: vi.fn(),
    setCollectionModel: vi.fn(),
    addDocuments: vi.fn(),
    rescanCollection: vi.fn(),
    cancelIndexing: vi.fn(),
    indexJobs: vi.fn(),
    removeDocument: vi.fn(),
    searchCollection: vi.fn(),
    embedModels: vi.fn(),
    suggestEmbedModels: vi.fn(),
    pickDocumentFolder: vi.fn(),
    pickDocumentFiles: vi.fn(),
    onDocsProgress: vi.fn(),
  };
});

vi.mock('../lib/api/models', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../lib/api/models')>();
  return {
    ...actual,
    getDownloads: vi.fn(),
    onDownload: vi.fn(),
    startDownload: vi.fn(),
    getInstalledModels: vi.fn(),
  };
});

const mocked = vi.mocked(api);
const docs = vi.mocked(docsApi);
const models = vi.mocked(modelsApi);
let emitJob: (j: docsApi.IndexJob) => void = () => {};
let emitDownload: (d: modelsApi.Download) => void = () => {};

beforeEach(() => {
  resetDocsView();
  resetModelsView();
  docsJobs.reset();
  downloads.reset();
  mocked.getVersion.mockResolvedValue({ version: '0.1.0', commit: 'c', goVersion: 'go', os: 'linux', arch: 'amd64' });
  mocked.getHosts.mockResolvedValue([LOCAL]);
  mocked.getStatus.mockResolvedValue(report([okHost(LOCAL)]));
  docs.listCollections.mockResolvedValue([]);
  docs.collectionFiles.mockResolvedValue([]);
  docs.collectionSources.mockResolvedValue([{ path: DIR, include: [], exclude: [] }]);
  docs.indexJobs.mockResolvedValue([]);
  docs.embedModels.mockResolvedValue([]);
  docs.suggestEmbedModels.mockResolvedValue([]);
  docs.onDocsProgress.mockImplementation((cb) => {
    emitJob = cb;
    return () => {};
  });
  models.getDownloads.mockResolvedValue([]);
  models.getInstalledModels.mockResolvedValue([]);
  models.onDownload.mockImplementation((cb) => {
    emitDownload = cb;
    return () => {};
  });
});

afterEach(() => {
  docsJobs.reset();
  downloads.reset();
});

async function openDocuments() {
  render(App);
  await waitFor(() => expect(screen.getByTestId('app-ready')).toHaveAttribute('data-ready', 'true'));
  await fireEvent.click(screen.getByTestId('nav-documents'));
  return screen.getByTestId('page-documents');
}

function fileRow(name: string): HTMLElement {
  const el = screen.getAllByTestId('docs-file').find((r) => r.getAttribute('data-path')?.endsWith(`/${name}`));
  if (!el) throw new Error(`no row for ${name}`);
  return el;
}

describe('Documents page', () => {
  it('without collections or embedding models: says what to do, offers a download, creates keyword-only', async () => {
    docs.suggestEmbedModels.mockResolvedValue([
      {
        role: 'embedding',
        pullName: 'nomic-embed-text:v1.5',
        name: 'Nomic Embed v1.5',
        description: 'Small, fast English embeddings.',
        downloadBytes: 274_000_000,
        verdict: 'cpu',
        summary: 'fits',
      },
    ]);
    models.startDownload.mockResolvedValue(dl({ name: 'nomic-embed-text:v1.5', completedBytes: 0 }));
    await openDocuments();

    expect(await screen.findByText('No collections yet')).toBeInTheDocument();
    expect(await screen.findByTestId('docs-no-embed-model')).toHaveTextContent('keywords only');
    const select = screen.getByTestId('docs-embed-select') as HTMLSelectElement;
    expect(select.value).toBe('');
    expect(within(select).getByText('Keyword only (no embedding model)')).toBeInTheDocument();

    const suggestion = await screen.findByTestId('docs-suggestion');
    await fireEvent.click(within(suggestion).getByTestId('docs-suggestion-download'));
    expect(models.startDownload).toHaveBeenCalledWith(LOCAL, 'nomic-embed-text:v1.5');
    emitDownload(dl({ name: 'nomic-embed-text:v1.5', completedBytes: 137_000_000, totalBytes: 274_000_000 }));
    await waitFor(() =>
      expect(within(suggestion).getByTestId('docs-suggestion-progress')).toHaveAttribute('aria-valuenow', '50'),
    );
    // Once it is installed, the form lists it.
    docs.embedModels.mockResolvedValue([{ host: LOCAL, name: 'nomic-embed-text:v1.5', contextLength: 2048 }]);
    emitDownload(dl({ name: 'nomic-embed-text:v1.5', state: 'done', completedBytes: 274_000_000, totalBytes: 274_000_000 }));
    await waitFor(() => expect(select.value).toBe(`${LOCAL}\nnomic-embed-text:v1.5`));

    await fireEvent.change(select, { target: { value: '' } });
    docs.createCollection.mockResolvedValue(coll({ name: 'Notes' }));
    await fireEvent.input(screen.getByTestId('docs-name-input'), { target: { value: ' Notes ' } });
    docs.listCollections.mockResolvedValue([coll({ name: 'Notes' })]);
    await fireEvent.click(screen.getByTestId('docs-create'));
    expect(docs.createCollection).toHaveBeenCalledWith('Notes', '', '');
    expect(await screen.findByTestId('docs-detail')).toHaveAttribute('data-name', 'Notes');
    expect(screen.getByTestId('docs-keyword-only')).toBeInTheDocument();
    expect(screen.getByTestId('docs-files-empty')).toHaveTextContent('Add a folder or files');
  });

  it('adds typed paths with patterns, and keeps the live progress across navigation', async () => {
    docs.listCollections.mockResolvedValue([coll({ embedModel: 'nomic-embed-text:latest', embedHost: LOCAL })]);
    docs.addDocuments.mockResolvedValue(job({}, { phase: 'scan' }));
    await openDocuments();
    expect(await screen.findByTestId('docs-detail-mode')).toHaveTextContent('Hybrid · nomic-embed-text:latest');

    await fireEvent.input(screen.getByTestId('docs-path-input'), { target: { value: `${DIR}\n\n /home/sara/cv.pdf ` } });
    await fireEvent.input(screen.getByTestId('docs-include'), { target: { value: '*.pdf, *.md' } });
    await fireEvent.input(screen.getByTestId('docs-exclude'), { target: { value: 'drafts' } });
    await fireEvent.click(screen.getByTestId('docs-add'));
    expect(docs.addDocuments).toHaveBeenCalledWith('Papers', [DIR, '/home/sara/cv.pdf'], ['*.pdf', '*.md'], ['drafts']);

    emitJob(job({}, { filesDone: 3, filesTotal: 12, chunks: 40, current: `${DIR}/big.pdf`, etaMs: 20_000 }));
    const bar = await screen.findByTestId('docs-progress-bar');
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '25'));
    expect(screen.getByTestId('docs-progress-numbers')).toHaveTextContent('3 of 12 files · 40 chunks · about 20 s left');
    expect(screen.getByTestId('docs-progress')).toHaveTextContent('big.pdf');
    expect(screen.getByTestId('nav-documents-indexing')).toBeInTheDocument();
    expect(screen.getByTestId('docs-add')).toBeDisabled();

    // Away and back: the progress went on meanwhile and is shown at once.
    await fireEvent.click(screen.getByTestId('nav-models'));
    expect(screen.queryByTestId('docs-progress-bar')).toBeNull();
    emitJob(job({}, { filesDone: 9, filesTotal: 12, chunks: 90 }));
    expect(screen.getByTestId('nav-documents-indexing')).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId('nav-documents'));
    expect(await screen.findByTestId('docs-progress-bar')).toHaveAttribute('aria-valuenow', '75');
    expect(docs.onDocsProgress).toHaveBeenCalledTimes(1);

    docs.cancelIndexing.mockResolvedValue();
    await fireEvent.click(screen.getByTestId('docs-cancel'));
    expect(docs.cancelIndexing).toHaveBeenCalledWith('Papers');

    // The job ends: the summary stays, the failed file shows why.
    docs.collectionFiles.mockResolvedValue([
      docFile({ id: 1, path: `${DIR}/guide.md` }),
      docFile({ id: 2, path: `${DIR}/sub/scan.pdf`, state: 'failed', format: '', chunkCount: 0, error: `${DIR}/sub/scan.pdf: the PDF is encrypted` }),
      docFile({ id: 3, path: `${DIR}/photo.png`, state: 'skipped', format: '', chunkCount: 0, error: 'photo.png: unsupported format .png' }),
    ]);
    emitJob(job({ state: 'done', finishedAt: '2026-11-30T10:01:00Z' }, { phase: 'done', filesDone: 12, filesTotal: 12, indexed: 10, failed: 1, skipped: 1, chunks: 120 }));
    expect(await screen.findByTestId('docs-job-summary')).toHaveTextContent('Done: 10 indexed, 1 failed, 1 skipped');
    expect(screen.queryByTestId('nav-documents-indexing')).toBeNull();
    await waitFor(() => expect(screen.getAllByTestId('docs-file')).toHaveLength(3));
    const failed = fileRow('scan.pdf');
    expect(failed).toHaveAttribute('data-state', 'failed');
    expect(within(failed).getByTestId('docs-file-error')).toHaveTextContent('the PDF is encrypted');
    expect(failed).toHaveTextContent('papers/sub/scan.pdf');
    await fireEvent.click(screen.getByTestId('docs-filter-failed'));
    expect(screen.getAllByTestId('docs-file')).toHaveLength(1);
    expect(screen.getByTestId('docs-filter-skipped')).toHaveTextContent('1');

    docs.removeDocument.mockResolvedValue(1);
    await fireEvent.click(within(fileRow('scan.pdf')).getByTestId('docs-file-remove'));
    expect(screen.getByTestId('confirm-dialog')).toHaveTextContent('Remove scan.pdf?');
    await fireEvent.click(screen.getByTestId('confirm-delete'));
    expect(docs.removeDocument).toHaveBeenCalledWith('Papers', `${DIR}/sub/scan.pdf`);
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
  });

  it('renders search snippets with <mark> and keeps hostile text as text', async () => {
    docs.listCollections.mockResolvedValue([coll({ files: 2, chunks: 5 })]);
    docs.searchCollection.mockResolvedValue({
      collection: 'Papers',
      query: 'walrus',
      mode: 'keyword',
      notice: 'keyword-only: collection Papers has no embedding model',
      hits: [
        hit(),
        hit({
          chunkId: 2,
          file: `${DIR}/evil.html`,
          page: 3,
          section: '',
          snippet: '<img src=x onerror="alert(1)"> \u0002walrus\u0003 <b>bold</b>',
          keywordScore: 0.5,
        }),
      ],
    });
    await openDocuments();
    await fireEvent.input(await screen.findByTestId('docs-search-input'), { target: { value: 'walrus' } });
    await fireEvent.click(screen.getByTestId('docs-search-go'));
    expect(docs.searchCollection).toHaveBeenCalledWith('Papers', 'walrus', 8);
    const hits = await screen.findAllByTestId('docs-hit');
    expect(hits).toHaveLength(2);
    expect(screen.getByTestId('docs-search-notice')).toHaveTextContent('no embedding model');
    const [first, second] = hits as [HTMLElement, HTMLElement];
    expect(first).toHaveTextContent('guide.md');
    expect(first).toHaveTextContent('Guide > Setup');
    expect(within(first).getByTestId('docs-hit-scores')).toHaveTextContent('vector — · keyword 1.25 · fused 0.0164');
    expect([...first.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['walrus']);
    expect(second).toHaveTextContent('p. 3');
    expect(second.querySelector('img')).toBeNull();
    expect(second.querySelector('b')).toBeNull();
    expect(within(second).getByTestId('docs-hit-snippet')).toHaveTextContent('<img src=x onerror="alert(1)"> walrus <b>bold</b>');
    expect(second.textContent).not.toContain('\u0002');
  });

  it('changes the embedding model after explaining it, renames and deletes', async () => {
    docs.listCollections.mockResolvedValue([coll({ files: 3, chunks: 42 })]);
    docs.embedModels.mockResolvedValue([{ host: LOCAL, name: 'nomic-embed-text:latest', contextLength: 2048 }]);
    docs.setCollectionModel.mockResolvedValue(job({ kind: 'model' }, { phase: 'scan' }));
    await openDocuments();
    await fireEvent.click(await screen.findByTestId('docs-change-model'));
    const panel = screen.getByTestId('docs-model-panel');
    expect(panel).toHaveTextContent('re-embeds all 42 chunks');
    await fireEvent.click(within(panel).getByTestId('docs-model-apply'));
    expect(docs.setCollectionModel).toHaveBeenCalledWith('Papers', 'nomic-embed-text:latest', LOCAL);
    expect(await screen.findByTestId('docs-progress')).toHaveAttribute('data-state', 'running');

    docs.renameCollection.mockResolvedValue();
    await fireEvent.click(screen.getByTestId('docs-rename'));
    await fireEvent.input(screen.getByTestId('docs-rename-input'), { target: { value: 'Articles' } });
    docs.listCollections.mockResolvedValue([coll({ name: 'Articles', files: 3, chunks: 42 })]);
    await fireEvent.click(screen.getByTestId('docs-rename-save'));
    expect(docs.renameCollection).toHaveBeenCalledWith('Papers', 'Articles');
    expect(await screen.findByTestId('docs-detail-name')).toHaveTextContent('Articles');

    docs.deleteCollection.mockResolvedValue();
    await fireEvent.click(screen.getByTestId('docs-delete'));
    expect(screen.getByTestId('confirm-dialog')).toHaveTextContent('its indexing stops');
    docs.listCollections.mockResolvedValue([]);
    await fireEvent.click(screen.getByTestId('confirm-delete'));
    expect(docs.deleteCollection).toHaveBeenCalledWith('Articles');
    expect(await screen.findByText('No collections yet')).toBeInTheDocument();
  });
});
