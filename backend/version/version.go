// Package version reports which Wadi this is. Release builds set Version and
// Commit with -ldflags "-X"; other builds fall back to the VCS data Go embeds.
package version

import (
	"runtime"
	"runtime/debug"
)

// Version is the release version (from the git tag), set at link time.
var Version = ""

// Commit is the git commit the binary was built from, set at link time.
var Commit = ""

// Info describes the running binary.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	GoVersion string `json:"goVersion"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
}

// Get returns the version information, computing a development version
// ("0.0.0-dev+<commit>") when none was set at link time.
func Get() Info {
	commit := Commit
	modified := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if commit == "" {
					commit = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if len(commit) > 12 {
		commit = commit[:12]
	}
	v := Version
	if v == "" {
		v = "0.0.0-dev"
		if commit != "" {
			v += "+" + commit
			if modified {
				v += ".dirty"
			}
		}
	}
	return Info{Version: v, Commit: commit, GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
}
