package ollamatest

import (
	"bytes"
	"os"
	"strconv"
)

// groupSize counts the processes, zombies included, whose process group is
// pgid, by scanning /proc. ok is false if /proc cannot be read.
func groupSize(pgid int) (n int, ok bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, false
	}
	want := []byte(strconv.Itoa(pgid))
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // exited meanwhile
		}
		// "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		if f := bytes.Fields(stat[i+1:]); len(f) > 2 && bytes.Equal(f[2], want) {
			n++
		}
	}
	return n, true
}
