import { describe, expect, it } from 'vitest';
import { nameProblem, parseParameters, pathProblem } from './importform';

describe('import form checks', () => {
  it('accepts Ollama model names and explains bad ones', () => {
    for (const ok of ['my-model', 'my-model:q4', 'sara/tiny:latest', 'Qwen3-4B.Q4_K_M']) expect(nameProblem(ok)).toBeNull();
    expect(nameProblem('  ')).toBe('name: give the model a name, for example my-model:q4.');
    expect(nameProblem('my model')).toContain('name: "my model" is not a valid model name');
    expect(nameProblem('-x')).toContain('not a valid model name');
    expect(nameProblem('a:b:c')).toContain('not a valid model name');
    expect(pathProblem('')).toBe('file: choose a .gguf file.');
    expect(pathProblem('/tmp/a.gguf')).toBeNull();
  });

  it('parses Modelfile-style parameters with numbers, booleans, quotes and repeats', () => {
    expect(parseParameters('temperature 0.7\n\n# comment\nnum_ctx 8192\nstop "<|end|>"\nstop <|user|>\npenalize_newline false')).toEqual({
      ok: true,
      value: { temperature: 0.7, num_ctx: 8192, stop: ['<|end|>', '<|user|>'], penalize_newline: false },
    });
    expect(parseParameters('')).toEqual({ ok: true, value: {} });
  });

  it('names the line of a bad parameter', () => {
    expect(parseParameters('temperature 0.7\ntemperature')).toEqual({
      ok: false,
      error: 'parameters, line 2: expected "name value", got "temperature".',
    });
  });
});
