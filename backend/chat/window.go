package chat

import (
	"fmt"

	"github.com/ollama/ollama/api"

	ragchunk "github.com/wadi-app/wadi/backend/rag/chunk"
)

// Token estimate (no tokenizer is at hand for every model): about 4 ASCII
// bytes per token (English prose and code run 3.5-4.5) and 1.5 other
// characters per token (Arabic, CJK and accented text split finer), plus 4
// tokens per message for the template's role markers and 768 per image.
// It errs on the high side so that a prompt judged to fit does fit.
const (
	perMessageTokens = 4
	perImageTokens   = 768
)

// EstimateTokens estimates how many tokens text takes (see above); the
// same estimate sizes document chunks, so it is chunk's.
func EstimateTokens(text string) int { return ragchunk.EstimateTokens(text) }

func messageTokens(m api.Message) int {
	return perMessageTokens + EstimateTokens(m.Content) + perImageTokens*len(m.Images)
}

// answerReserve is the part of the context kept free for the answer.
func answerReserve(numCtx int) int { return min(1024, numCtx/4) }

// fitResult is a prompt trimmed to the context window.
type fitResult struct {
	messages []api.Message // system prompt (if any) first, then the kept turns
	tokens   int           // estimated tokens of messages
	dropped  int           // turns left out, oldest first
	note     string        // what the UI should say; "" when everything fits
}

// fitContext drops the oldest turns (a user message and the answers after
// it) of history until system + history fits numCtx minus the answer
// reserve. The system prompt and the last turn are never dropped; if they
// alone do not fit, the note says so.
func fitContext(system string, history []api.Message, numCtx int) fitResult {
	return fitWithin(system, history, numCtx, numCtx-answerReserve(numCtx))
}

// fitWithin is fitContext with the budget for system prompt and history
// given.
func fitWithin(system string, history []api.Message, numCtx, budget int) fitResult {
	var sys []api.Message
	total := 0
	if system != "" {
		sys = []api.Message{{Role: "system", Content: system}}
		total = messageTokens(sys[0])
	}
	// Split into turns: each starts at a user message.
	var starts []int
	for i, m := range history {
		if m.Role == "user" || i == 0 {
			starts = append(starts, i)
		}
	}
	for _, m := range history {
		total += messageTokens(m)
	}
	first, dropped := 0, 0
	for total > budget && dropped+1 < len(starts) {
		end := starts[dropped+1]
		for _, m := range history[first:end] {
			total -= messageTokens(m)
		}
		first = end
		dropped++
	}
	r := fitResult{messages: append(sys, history[first:]...), tokens: total, dropped: dropped}
	switch {
	case total > budget:
		r.note = fmt.Sprintf("The latest message (about %d tokens with the system prompt) does not fit the context window "+
			"of %d tokens with room for an answer; Ollama will cut it. Shorten it or raise the context length.", total, numCtx)
		if dropped > 0 {
			r.note = fmt.Sprintf("%d earlier turns were left out. ", dropped) + r.note
		}
	case dropped == 1:
		r.note = fmt.Sprintf("The conversation is longer than the context window (%d tokens): the oldest turn was left out of the prompt.", numCtx)
	case dropped > 1:
		r.note = fmt.Sprintf("The conversation is longer than the context window (%d tokens): the oldest %d turns were left out of the prompt.", numCtx, dropped)
	}
	return r
}
