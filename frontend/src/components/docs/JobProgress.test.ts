import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { job } from '../../test/docs';
import JobProgress from './JobProgress.svelte';

describe('JobProgress', () => {
  it('shows files while indexing', () => {
    render(JobProgress, { job: job({}, { phase: 'index', filesDone: 3, filesTotal: 12, chunks: 40 }) });
    expect(screen.getByTestId('docs-progress-bar')).toHaveAttribute('aria-valuenow', '25');
    expect(screen.getByTestId('docs-progress-numbers')).toHaveTextContent('3 of 12 files · 40 chunks');
  });

  it('shows chunks embedded while re-embedding after a model change', () => {
    render(JobProgress, {
      job: job({ kind: 'model' }, { phase: 'embed', filesDone: 12, filesTotal: 12, embedded: 300, embedTotal: 400, etaMs: 0 }),
    });
    expect(screen.getByTestId('docs-progress-phase')).toHaveTextContent('Embedding chunks with the new model');
    expect(screen.getByTestId('docs-progress-bar')).toHaveAttribute('aria-valuenow', '75');
    expect(screen.getByTestId('docs-progress-numbers')).toHaveTextContent('300 of 400 chunks embedded');
    expect(screen.getByTestId('docs-progress-bar').querySelector('.fill.indeterminate')).toBeNull();
  });

  it('stays indeterminate in an embed phase that has not counted its chunks yet', () => {
    render(JobProgress, { job: job({ kind: 'rescan' }, { phase: 'embed', embedTotal: 0 }) });
    expect(screen.getByTestId('docs-progress-bar').querySelector('.fill.indeterminate')).not.toBeNull();
  });
});
