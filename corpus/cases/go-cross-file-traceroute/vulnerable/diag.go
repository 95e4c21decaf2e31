package main

import (
	"context"
	"os/exec"
)

// runTraceroute traces the route to host with at most 20 hops.
func runTraceroute(ctx context.Context, host string) (string, error) {
	out, err := exec.CommandContext(ctx, "sh", "-c", "traceroute -m 20 "+host).CombinedOutput()
	return string(out), err
}
