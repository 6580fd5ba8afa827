// Command embedded-db runs FerretDB with its SQLite backend as a MongoDB-compatible
// server on loopback, for development and tests. Production uses a real MongoDB.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// shutdownGrace bounds a stop after the launcher went away.
const shutdownGrace = 5 * time.Second

func main() {
	port := flag.Int("port", 27017, "TCP port to listen on (127.0.0.1 only)")
	dataDir := flag.String("data", "", "folder for the SQLite databases (created when missing)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	exitOnStdinEOF := flag.Bool("exit-on-stdin-eof", false,
		"stop when standard input closes: the launcher holds the pipe, so the server dies with it")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: parseLevel(*logLevel)}))
	if err := run(*port, *dataDir, *exitOnStdinEOF, logger); err != nil {
		logger.Error("embedded-db stopped", "error", err)
		os.Exit(1)
	}
}

func run(port int, dataDir string, exitOnStdinEOF bool, logger *slog.Logger) error {
	if dataDir == "" {
		return fmt.Errorf("-data is required")
	}
	absData, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	if err = os.MkdirAll(absData, 0o700); err != nil {
		return fmt.Errorf("creating data folder: %w", err)
	}
	lock, err := lockDataDir(absData)
	if err != nil {
		return err
	}
	if lock != nil {
		defer lock.Close()
	}

	address := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: address},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + absData + "/",
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if exitOnStdinEOF {
		// A launcher killed with SIGKILL cannot stop us; the kernel closes its end of the pipe.
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			logger.Warn("standard input closed: the launcher is gone, stopping")
			stop()
			time.AfterFunc(shutdownGrace, func() { os.Exit(1) })
		}()
	}

	done := make(chan error, 1)
	go func() { done <- db.Run(ctx) }()

	if err = waitForListener(ctx, address, done); err != nil {
		return err
	}
	// The launcher waits for this exact line before handing the URL out.
	fmt.Printf("embedded-db ready on %s\n", address)

	if err = <-done; err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

// waitForListener returns once the address accepts connections, or with Run's error.
func waitForListener(ctx context.Context, address string, done <-chan error) error {
	for {
		conn, err := net.DialTimeout("tcp", address, 200*time.Millisecond)
		if err == nil {
			return conn.Close()
		}
		select {
		case runErr := <-done:
			return fmt.Errorf("listener never came up: %w", runErr)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func parseLevel(name string) slog.Level {
	var level slog.Level
	if err := level.UnmarshalText([]byte(name)); err != nil {
		return slog.LevelWarn
	}
	return level
}
