//go:build unix

package catalog

import (
	"fmt"
	"syscall"
)

// FreeDiskBytes returns the bytes available to an unprivileged user on the
// file system holding path.
func FreeDiskBytes(path string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, fmt.Errorf("free disk at %s: %w", path, err)
	}
	return int64(st.Bavail) * int64(st.Bsize), nil //nolint:unconvert // field types differ per OS
}
