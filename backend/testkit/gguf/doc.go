// Package gguf writes tiny, deterministic GGUF v3 models for tests that run
// a real Ollama server: a llama-architecture chat model (WriteLlama) and a
// bert-architecture embedding model (WriteBert). Files are little-endian,
// every tensor is F32 (general.file_type 0) and tensor data is aligned to
// 32 bytes. A model is a pure function of its options: the same seed gives
// the same bytes, a different seed gives different bytes (and digests).
package gguf
