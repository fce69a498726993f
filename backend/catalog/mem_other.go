//go:build !windows

package catalog

import "errors"

// systemMemory is only needed where /proc/meminfo and sysctl are missing.
func systemMemory() (total, available int64, err error) {
	return 0, 0, errors.New("no system memory call on this OS; /proc/meminfo or sysctl is used")
}
