// The real api.ts, with no window.go: the app must say so and stay usable.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';

describe('App without the Go backend', () => {
  it('becomes ready, says the backend is not available, and navigates', async () => {
    expect(window.go).toBeUndefined();
    render(App);
    await waitFor(() => expect(screen.getByTestId('app-ready')).toHaveAttribute('data-ready', 'true'));

    expect(screen.getByTestId('backend-missing')).toHaveTextContent('Wadi backend not available');
    expect(screen.getByTestId('status-error')).toHaveTextContent('Wadi backend not available');
    expect(screen.queryAllByTestId('host-status')).toHaveLength(0);

    await fireEvent.click(screen.getByTestId('nav-settings'));
    expect(screen.getByTestId('page-settings')).toBeInTheDocument();
    expect(await screen.findByText('Version unknown: Wadi backend not available')).toBeInTheDocument();

    await fireEvent.click(screen.getByTestId('nav-models'));
    expect(screen.getByTestId('page-models')).toHaveTextContent('Wadi backend not available');
  });
});
