//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockFileName sits in the data folder; the holder's pids are written into it.
const lockFileName = "embedded-db.lock"

// lockDataDir takes an exclusive flock on the data folder's lock file, so that a second server
// never opens the same SQLite files. The kernel drops the lock when the holder dies, however it
// dies, so a crash leaves nothing to clean up. The returned file must stay open while serving.
func lockDataDir(dataDir string) (*os.File, error) {
	path := filepath.Join(dataDir, lockFileName)
	file, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	if err = syscall.Flock(int(file.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		file.Close()
		if err == syscall.EWOULDBLOCK {
			return nil, fmt.Errorf("data folder %s is in use by embedded-db %s (lock %s); stop that process or use another DATA_DIR",
				dataDir, describeHolder(string(holder)), path)
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	record := fmt.Sprintf("pid=%d ppid=%d\n", os.Getpid(), os.Getppid())
	if err = file.Truncate(0); err == nil {
		_, err = file.WriteAt([]byte(record), 0)
	}
	if err != nil {
		file.Close()
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return file, nil
}

// describeHolder turns "pid=12 ppid=3" into "process 12 (started by process 3)".
func describeHolder(record string) string {
	fields := map[string]string{}
	for _, field := range strings.Fields(record) {
		if name, value, ok := strings.Cut(field, "="); ok {
			if _, err := strconv.Atoi(value); err == nil {
				fields[name] = value
			}
		}
	}
	if fields["pid"] == "" {
		return "another process"
	}
	if fields["ppid"] == "" {
		return "process " + fields["pid"]
	}
	return fmt.Sprintf("process %s (started by process %s)", fields["pid"], fields["ppid"])
}
