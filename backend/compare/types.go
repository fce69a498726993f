// Package compare runs one prompt against 2..4 models side by side: it
// stores runs in the store, schedules columns (concurrently when the models
// fit in memory together, else one after another), streams answers through
// backend/chat's batching and speed figures, keeps blind votes and ranks
// models from them. Its exported types are the compare contract's JSON.
package compare

import (
	"github.com/wadi-app/wadi/backend/chat"
	"github.com/wadi-app/wadi/backend/rag"
)

// ColumnSpec is one model to ask, with its own settings.
type ColumnSpec struct {
	Host     string        `json:"host"`
	Model    string        `json:"model"`
	Settings chat.Settings `json:"settings"`
}

// Request starts a comparison.
type Request struct {
	Prompt  string       `json:"prompt"`
	Columns []ColumnSpec `json:"columns"`
	Blind   bool         `json:"blind"`
	Tags    []string     `json:"tags"`
	// Collection is a document collection to answer from ("" none): every
	// turn retrieves once for its own prompt and every column gets the same
	// sources.
	Collection string `json:"collection"`
}

// Summary is a run as the history list shows it. Models is empty while the
// run is blind and unvoted.
type Summary struct {
	ID        int64    `json:"id"`
	Prompt    string   `json:"prompt"`
	Blind     bool     `json:"blind"`
	Tags      []string `json:"tags"`
	CreatedAt string   `json:"createdAt"`
	Models    []string `json:"models"`
	Voted     bool     `json:"voted"`
}

// Column states.
const (
	StateWaiting = "waiting"
	StateRunning = "running"
	StateDone    = "done"
	StateFailed  = "failed"
	StateStopped = "stopped"
)

// Column is one column of a view; Host and Model are "" while blind and
// the last turn is unvoted.
type Column struct {
	Index int    `json:"index"`
	Label string `json:"label"`
	Host  string `json:"host"`
	Model string `json:"model"`
	State string `json:"state"`
	Order int    `json:"order"`
}

// Answer is one column's answer to one turn.
type Answer struct {
	Column   int           `json:"column"`
	Content  string        `json:"content"`
	Thinking string        `json:"thinking"`
	Status   string        `json:"status"`
	Error    string        `json:"error"`
	Metrics  *chat.Metrics `json:"metrics"`
}

// Turn is one prompt and its answers by column index.
type Turn struct {
	Index   int      `json:"index"`
	Prompt  string   `json:"prompt"`
	Answers []Answer `json:"answers"`
	// Retrieval is what was retrieved for this turn's prompt and sent to
	// every column (null: the run has no collection, or not retrieved yet).
	Retrieval *rag.Retrieval `json:"retrieval"`
}

// Vote kinds.
const (
	VoteBetter = "better"
	VoteTie    = "tie"
	VoteAllBad = "all_bad"
)

// Vote is what the user says about a turn.
type Vote struct {
	Kind   string `json:"kind"`
	Winner int    `json:"winner"`
}

// VoteRecord is a stored vote.
type VoteRecord struct {
	Turn      int    `json:"turn"`
	Kind      string `json:"kind"`
	Winner    int    `json:"winner"`
	CreatedAt string `json:"createdAt"`
}

// View is a whole run.
type View struct {
	ID           int64        `json:"id"`
	Prompt       string       `json:"prompt"`
	Blind        bool         `json:"blind"`
	Tags         []string     `json:"tags"`
	CreatedAt    string       `json:"createdAt"`
	Schedule     string       `json:"schedule"`
	ScheduleNote string       `json:"scheduleNote"`
	Collection   string       `json:"collection"` // "" none
	Columns      []Column     `json:"columns"`
	Turns        []Turn       `json:"turns"`
	Votes        []VoteRecord `json:"votes"`
}

// Event is a batch of one column's streamed text (compare:stream).
type Event struct {
	RunID       int64         `json:"runId"`
	Turn        int           `json:"turn"`
	Column      int           `json:"column"`
	Content     string        `json:"content"`
	Thinking    string        `json:"thinking"`
	Done        bool          `json:"done"`
	Status      string        `json:"status"`
	Error       string        `json:"error"`
	Metrics     *chat.Metrics `json:"metrics"`
	ColumnState string        `json:"columnState"`
	// Retrieval is the turn's retrieval, sent with each column's first
	// event of a turn that uses documents (null otherwise).
	Retrieval *rag.Retrieval `json:"retrieval"`
}

// LeaderRow is one model's rating with its 95% interval.
type LeaderRow struct {
	Model  string  `json:"model"`
	Rating float64 `json:"rating"`
	Low    float64 `json:"low"`
	High   float64 `json:"high"`
	Votes  int     `json:"votes"`
	Wins   int     `json:"wins"`
	Losses int     `json:"losses"`
	Ties   int     `json:"ties"`
}

// PromptSet is a saved list of prompts.
type PromptSet struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Prompts []string `json:"prompts"`
	Tags    []string `json:"tags"`
}

// SetRow is one prompt of a set run with its answers by column (empty until
// answered).
type SetRow struct {
	Prompt  string   `json:"prompt"`
	Answers []Answer `json:"answers"`
}

// SetRun is a prompt set run unattended against some columns.
type SetRun struct {
	ID      int64        `json:"id"`
	SetID   int64        `json:"setId"`
	State   string       `json:"state"`
	Done    int          `json:"done"`
	Total   int          `json:"total"`
	Columns []ColumnSpec `json:"columns"`
	Rows    []SetRow     `json:"rows"`

	// Collection is the document collection every run answers from ("" none).
	Collection string `json:"collection"`
}
