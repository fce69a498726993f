// Package paths resolves every directory Wadi reads or writes. All defaults
// come from the XDG base directories (github.com/adrg/xdg), which maps them to
// the platform conventions on macOS and Windows. A single override directory
// (the --data-dir flag or the WADI_DATA_DIR environment variable) relocates
// everything under one folder, which is how tests and portable installs run.
package paths

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/adrg/xdg"
)

// EnvDataDir is the environment variable that overrides the data directory.
const EnvDataDir = "WADI_DATA_DIR"

// AppName is the directory name Wadi uses under each XDG base directory.
const AppName = "wadi"

// Dirs holds the directories Wadi uses.
type Dirs struct {
	// Data holds the user's data: the SQLite database, document indexes.
	Data string
	// Cache holds files that can be rebuilt (compiled wasm, thumbnails).
	Cache string
	// State holds logs and other state that is not worth backing up.
	State string
}

// DBFile is the path of the SQLite database inside the data directory.
func (d Dirs) DBFile() string { return filepath.Join(d.Data, "wadi.db") }

// LogFile is the path of the application log.
func (d Dirs) LogFile() string { return filepath.Join(d.State, "wadi.log") }

// Resolve returns the directories to use. override (from --data-dir) wins,
// then $WADI_DATA_DIR, then the XDG defaults. With an override, cache and
// state live in subdirectories of it so that nothing escapes the folder.
func Resolve(override string) (Dirs, error) {
	if override == "" {
		override = os.Getenv(EnvDataDir)
	}
	if override != "" {
		abs, err := filepath.Abs(override)
		if err != nil {
			return Dirs{}, fmt.Errorf("data dir %q: %w", override, err)
		}
		return Dirs{Data: abs, Cache: filepath.Join(abs, "cache"), State: filepath.Join(abs, "state")}, nil
	}
	return Dirs{
		Data:  filepath.Join(xdg.DataHome, AppName),
		Cache: filepath.Join(xdg.CacheHome, AppName),
		State: filepath.Join(xdg.StateHome, AppName),
	}, nil
}

// Ensure creates every directory in d (mode 0700: chats are private).
// An existing path that is not a directory is reported by name.
func (d Dirs) Ensure() error {
	for _, dir := range []string{d.Data, d.Cache, d.State} {
		if dir == "" {
			return errors.New("paths: empty directory in Dirs")
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create directory %s: %w", dir, err)
		}
	}
	return nil
}
