package main

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"regexp"
)

var hostnameRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,62})$`)

// runTraceroute traces the route to host with at most 20 hops.
func runTraceroute(ctx context.Context, host string) (string, error) {
	if net.ParseIP(host) == nil && !hostnameRE.MatchString(host) {
		return "", fmt.Errorf("not a hostname or IP address: %q", host)
	}
	out, err := exec.CommandContext(ctx, "traceroute", "-m", "20", host).CombinedOutput()
	return string(out), err
}
