package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/ec2"
)

// ec2Cmd runs `telltale ec2 load`: a spike of CPU (and memory) on simulated
// instances, so that alarms have something to watch.
//
//	telltale ec2 load (--instance-id ID ... | --auto-scaling-group-name G) [--cpu PCT] [--mem PCT] [--for DURATION]
func (s *Session) ec2Cmd(args []string) int {
	const use = "ec2 load (--instance-id ID ... | --auto-scaling-group-name NAME) [--cpu PERCENT] [--mem PERCENT] [--for DURATION]"
	if len(args) == 0 || args[0] != "load" {
		usageError(s.Env.Stderr, "usage: "+use)
		return ExitUsage
	}
	var l ec2.Load
	l.For = 15 * time.Minute
	percent := func(name, v string) (*float64, error) {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || f < 0 || f > 100 {
			return nil, fmt.Errorf("--%s takes a percentage from 0 to 100, not %q", name, v)
		}
		return &f, nil
	}
	if code := s.options(args[1:], use, func(opt, val string) (err error) {
		switch opt {
		case "--instance-id", "--instance-ids":
			l.InstanceIDs = append(l.InstanceIDs, val)
		case "--auto-scaling-group-name":
			l.Group = val
		case "--cpu":
			l.CPU, err = percent("cpu", val)
		case "--mem":
			l.Mem, err = percent("mem", val)
		case "--for":
			l.For, err = ParseDuration(val)
		default:
			err = fmt.Errorf("unknown option %s; usage: %s", opt, use)
		}
		return err
	}); code != ExitOK {
		return code
	}
	if (len(l.InstanceIDs) > 0) == (l.Group != "") {
		usageError(s.Env.Stderr, "give --instance-id or --auto-scaling-group-name; usage: "+use)
		return ExitUsage
	}
	ids, err := s.World.EC2().InjectLoad(l)
	if err != nil {
		fmt.Fprintf(s.Env.Stderr, "telltale: %v\n", err)
		return ExitFailure
	}
	now := s.World.Now()
	var what []string
	if l.CPU != nil {
		what = append(what, fmt.Sprintf("CPU %g%%", *l.CPU))
	}
	if l.Mem != nil {
		what = append(what, fmt.Sprintf("memory %g%%", *l.Mem))
	}
	for _, id := range ids {
		fmt.Fprintf(s.Env.Stdout, "%s: %s from %s to %s\n", id, strings.Join(what, ", "),
			now.Truncate(time.Minute).Format(time.RFC3339), now.Add(l.For).Format(time.RFC3339))
	}
	return ExitOK
}
