// Package chat is Wadi's conversation service: it keeps chats as message
// trees in the store, assembles prompts (system prompt + the branch on
// screen, trimmed to the context window), streams answers from Ollama and
// saves them so that nothing is lost: the prompt is committed before it is
// sent, the partial answer is flushed about every second, and a stream that
// ends early is kept and marked incomplete with the reason.
//
// Its exported types are the JSON the window receives (field names as in
// the chat contract); the desktop and CLI faces stay thin over Service.
package chat

import "github.com/wadi-app/wadi/backend/rag"

// Settings are a chat's own parameters. Nil numbers mean "the model's
// default" (for NumCtx: see DefaultNumCtx).
type Settings struct {
	SystemPrompt string   `json:"systemPrompt"`
	Temperature  *float64 `json:"temperature"`
	TopP         *float64 `json:"topP"`
	Seed         *int     `json:"seed"`
	NumCtx       *int     `json:"numCtx"`
	KeepAlive    string   `json:"keepAlive"`
	Think        bool     `json:"think"`
}

// Summary is a chat as the history list shows it.
type Summary struct {
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	Host         string `json:"host"`
	Model        string `json:"model"`
	Pinned       bool   `json:"pinned"`
	CreatedAt    string `json:"createdAt"`
	UpdatedAt    string `json:"updatedAt"`
	MessageCount int    `json:"messageCount"`
}

// Metrics are an answer's speed figures. TTFTMs is measured by Wadi from
// sending the request to the first streamed text (answer or thinking); the
// others come from Ollama's timing fields.
type Metrics struct {
	TTFTMs       float64 `json:"ttftMs"`
	LoadMs       float64 `json:"loadMs"`
	PromptTokens int     `json:"promptTokens"`
	PromptMs     float64 `json:"promptMs"`
	OutputTokens int     `json:"outputTokens"`
	OutputMs     float64 `json:"outputMs"`
	TokensPerSec float64 `json:"tokensPerSec"`
	TotalMs      float64 `json:"totalMs"`
}

// Image is a picture stored with a message, as a data: URL.
type Image struct {
	ID      int64  `json:"id"`
	Mime    string `json:"mime"`
	DataURL string `json:"dataUrl"`
}

// Message is one message of the branch on screen. SiblingIDs are the
// versions of this message (same parent, oldest first), SiblingIndex its
// place among them.
type Message struct {
	ID           int64    `json:"id"`
	ChatID       int64    `json:"chatId"`
	ParentID     *int64   `json:"parentId"`
	Role         string   `json:"role"`
	Content      string   `json:"content"`
	Thinking     string   `json:"thinking"`
	Model        string   `json:"model"`
	Status       string   `json:"status"`
	Error        string   `json:"error"`
	Images       []Image  `json:"images"`
	Metrics      *Metrics `json:"metrics"`
	CreatedAt    string   `json:"createdAt"`
	SiblingIDs   []int64  `json:"siblingIds"`
	SiblingIndex int      `json:"siblingIndex"`
	// Retrieval is what an answer retrieved from the chat's documents
	// (nil for answers that used none).
	Retrieval *rag.Retrieval `json:"retrieval"`
}

// ContextInfo says how the branch fits the model's context window.
type ContextInfo struct {
	NumCtx          int    `json:"numCtx"`
	EstimatedTokens int    `json:"estimatedTokens"`
	DroppedTurns    int    `json:"droppedTurns"`
	Note            string `json:"note"`
}

// View is a chat with its settings and the branch on screen, root to leaf.
type View struct {
	Chat     Summary     `json:"chat"`
	Settings Settings    `json:"settings"`
	Messages []Message   `json:"messages"`
	Context  ContextInfo `json:"context"`
	// Attachments are the documents the chat's answers draw on (never nil).
	Attachments []Attachment `json:"attachments"`
}

// Attachment is a document collection, or one file of it, attached to a
// chat: its answers are given the best matching chunks as numbered sources.
type Attachment struct {
	Collection string `json:"collection"`
	// File is one absolute path of a file in the collection ("" means the
	// whole collection).
	File string `json:"file"`
}

// TemplateInfo is the prompt template that wraps the sources and the
// question sent to the model.
type TemplateInfo struct {
	Template  string `json:"template"`
	Default   string `json:"default"`
	IsDefault bool   `json:"isDefault"`
}

// ImageInput is a picture attached to a prompt.
type ImageInput struct {
	Mime   string `json:"mime"`
	Base64 string `json:"base64"`
}

// StreamStart is what starting an answer returns: the stream's id and the
// chat, which already holds the stored prompt and the answer placeholder.
type StreamStart struct {
	StreamID string `json:"streamId"`
	Chat     View   `json:"chat"`
}

// Event is a batch of streamed text for one answer (the chat:stream event).
// Content and Thinking are deltas since the previous event of the stream.
// The last event has Done set, the final Status, Error and Metrics. In a
// chat with documents, one event with Retrieval set (and no text) comes
// before the first text.
type Event struct {
	StreamID     string   `json:"streamId"`
	ChatID       int64    `json:"chatId"`
	MessageID    int64    `json:"messageId"`
	Content      string   `json:"content"`
	Thinking     string   `json:"thinking"`
	Done         bool     `json:"done"`
	Status       string   `json:"status"`
	Error        string   `json:"error"`
	Metrics      *Metrics `json:"metrics"`
	DroppedTurns int      `json:"droppedTurns"`
	// Retrieval is the answer's sources (only in the event before the
	// first text).
	Retrieval *rag.Retrieval `json:"retrieval"`
}

// SearchHit is a message matching a search. Snippet is plain text with the
// matched terms between U+0002 and U+0003.
type SearchHit struct {
	ChatID    int64  `json:"chatId"`
	MessageID int64  `json:"messageId"`
	ChatTitle string `json:"chatTitle"`
	Role      string `json:"role"`
	Snippet   string `json:"snippet"`
	CreatedAt string `json:"createdAt"`
}

// Preset is a named Settings.
type Preset struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Settings Settings `json:"settings"`
}

// ModelOption is an installed model that can chat, with what it can do.
type ModelOption struct {
	Host          string   `json:"host"`
	Name          string   `json:"name"`
	Capabilities  []string `json:"capabilities"`
	ContextLength int      `json:"contextLength"`
	Family        string   `json:"family"`
	ParameterSize string   `json:"parameterSize"`
}
