import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFakeApp } from './chat/fake.test-helpers';
import DocsTemplate from './DocsTemplate.svelte';

const DEFAULT = 'Answer from the sources.\n\n{{range .Sources}}[{{.N}}] {{.Label}}\n{{.Text}}\n\n{{end}}Question: {{.Question}}';

let fake: ReturnType<typeof installFakeApp>;

beforeEach(() => {
  fake = installFakeApp();
  fake.app['DocsPromptTemplate']!.mockResolvedValue({ template: DEFAULT, default: DEFAULT, isDefault: true });
});
afterEach(() => fake.uninstall());

async function loaded(): Promise<HTMLTextAreaElement> {
  render(DocsTemplate);
  const input = screen.getByTestId('docs-template-input') as HTMLTextAreaElement;
  await waitFor(() => expect(input).toHaveValue(DEFAULT));
  return input;
}

describe('Settings › Documents prompt', () => {
  it('shows the current template and that it is the default', async () => {
    await loaded();
    expect(screen.getByTestId('docs-template-state')).toHaveTextContent('Default');
    expect(screen.getByTestId('docs-template')).toHaveTextContent('{{.Question}}');
    expect(screen.getByTestId('docs-template-save')).toBeDisabled();
    expect(screen.getByTestId('docs-template-reset')).toBeDisabled();
  });

  it('saves an edited template', async () => {
    const input = await loaded();
    const mine = 'Sources:\n{{range .Sources}}{{.N}}: {{.Text}}\n{{end}}Q: {{.Question}}';
    fake.app['SetDocsPromptTemplate']!.mockResolvedValue({ template: mine, default: DEFAULT, isDefault: false });
    await fireEvent.input(input, { target: { value: mine } });
    await fireEvent.click(screen.getByTestId('docs-template-save'));
    expect(fake.app['SetDocsPromptTemplate']).toHaveBeenCalledWith(mine);
    expect(await screen.findByTestId('docs-template-saved')).toHaveTextContent('Saved.');
    expect(screen.getByTestId('docs-template-state')).toHaveTextContent('Customized');
    expect(screen.getByTestId('docs-template-reset')).toBeEnabled();
  });

  it('shows the Go error for an invalid template and keeps the text', async () => {
    const input = await loaded();
    fake.app['SetDocsPromptTemplate']!.mockRejectedValue('template: rag:1: unexpected "}" in operand');
    await userEvent.clear(input);
    await fireEvent.input(input, { target: { value: '{{.Question}' } });
    await fireEvent.click(screen.getByTestId('docs-template-save'));
    expect(await screen.findByTestId('docs-template-error')).toHaveTextContent('unexpected "}" in operand');
    expect(input).toHaveValue('{{.Question}');
    expect(screen.getByTestId('docs-template-state')).toHaveTextContent('Default');
  });

  it('resets to the default with ""', async () => {
    fake.app['DocsPromptTemplate']!.mockResolvedValue({ template: 'Mine {{.Question}}', default: DEFAULT, isDefault: false });
    render(DocsTemplate);
    const input = screen.getByTestId('docs-template-input');
    await waitFor(() => expect(input).toHaveValue('Mine {{.Question}}'));
    expect(screen.getByTestId('docs-template-state')).toHaveTextContent('Customized');
    fake.app['SetDocsPromptTemplate']!.mockResolvedValue({ template: DEFAULT, default: DEFAULT, isDefault: true });
    await fireEvent.click(screen.getByTestId('docs-template-reset'));
    expect(fake.app['SetDocsPromptTemplate']).toHaveBeenCalledWith('');
    await waitFor(() => expect(input).toHaveValue(DEFAULT));
    expect(screen.getByTestId('docs-template-state')).toHaveTextContent('Default');
  });
});
