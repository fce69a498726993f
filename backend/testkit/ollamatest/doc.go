// Package ollamatest runs a real Ollama server for tests: its own port, HOME
// and models directory under t.TempDir(), its own process group, a log file
// printed on failure, and a cleanup that leaves no server or runner process
// behind. It also creates tiny deterministic models on that server (see
// package gguf), so tests can chat, generate and embed in well under a second.
//
// The server binary is the one scripts/build-ollama.sh builds for the Ollama
// module version in go.mod (see Binary). Tests skip when it is missing,
// unless WADI_REQUIRE_OLLAMA=1 makes that a failure.
package ollamatest
