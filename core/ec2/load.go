package ec2

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/telltale-dev/telltale/core/metricdata"
	"github.com/telltale-dev/telltale/core/store"
)

// The load model of an instance, per minute t (virtual time):
//
//	cpu(t) = clamp(base + amplitude * daily(t) + noise * n(t), 0, 100)
//
// where daily(t) = (1 - cos(2π (hour(t) - 4) / 24)) / 2 is 0 at 04:00 UTC and
// 1 at 16:00 UTC, and n(t) in [-1, 1] is a hash of the world's seed, the
// instance id and the minute (deterministic, no generator state). An injected
// spike (InjectLoad, `telltale ec2 load`) holds CPU (and memory) at its level
// (±1) while it lasts. Tags configure the curve:
//
//	telltale:cpu-base       default 20 (percent)
//	telltale:cpu-amplitude  default 15
//	telltale:cpu-noise      default 5
//	telltale:mem-base       default 40 (CWAgent mem_used_percent)
//
// Network traffic follows CPU; disk counters are 0 (EBS-only instances report
// no instance-store I/O); status checks pass. Metrics are published at each
// period's end with the period's start as timestamp: every 5 minutes as a
// statistic set of the five minutes (basic monitoring) or every minute
// (detailed monitoring). Burstable types (t2, t3, t3a, t4g) also publish
// CPUCreditUsage every 5 minutes. Instances with the CloudWatch agent (tag
// telltale:cloudwatch-agent=true, or user data mentioning
// amazon-cloudwatch-agent) publish CWAgent mem_used_percent every minute with
// the dimensions InstanceId, ImageId and InstanceType. Instances of an Auto
// Scaling group also feed the group's aggregate AWS/EC2 metrics (dimension
// AutoScalingGroupName) every 5 minutes.

func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func mix(a, b uint64) uint64 {
	z := a ^ (b + 0x9e3779b97f4a7c15 + (a << 6) + (a >> 2))
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// noise returns a deterministic value in [-1, 1].
func (s *Service) noise(id, what string, t time.Time) float64 {
	h := mix(mix(s.seed, hashString(id+"/"+what)), uint64(t.Unix()/60))
	return float64(h>>11)/(1<<53)*2 - 1
}

func (in *instance) tagFloat(key string, def float64) float64 {
	for _, t := range in.Tags {
		if t.Key == key {
			if f, err := strconv.ParseFloat(t.Value, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
				return f
			}
		}
	}
	return def
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func daily(t time.Time) float64 {
	h := float64(t.UTC().Hour()) + float64(t.UTC().Minute())/60
	return (1 - math.Cos(2*math.Pi*(h-4)/24)) / 2
}

func (in *instance) spike(t time.Time) *Spike {
	for k := len(in.Spikes) - 1; k >= 0; k-- {
		sp := &in.Spikes[k]
		if !t.Before(sp.From) && t.Before(sp.Until) {
			return sp
		}
	}
	return nil
}

// cpu returns the CPU utilization of the minute starting at t.
func (s *Service) cpu(in *instance, t time.Time) float64 {
	if sp := in.spike(t); sp != nil && sp.CPU != nil {
		return math.Round(clamp(*sp.CPU+s.noise(in.ID, "cpu", t), 0, 100)*1e4) / 1e4
	}
	v := in.tagFloat("telltale:cpu-base", 20) + in.tagFloat("telltale:cpu-amplitude", 15)*daily(t) +
		in.tagFloat("telltale:cpu-noise", 5)*s.noise(in.ID, "cpu", t)
	return math.Round(clamp(v, 0, 100)*1e4) / 1e4
}

func (s *Service) mem(in *instance, t time.Time) float64 {
	if sp := in.spike(t); sp != nil && sp.Mem != nil {
		return math.Round(clamp(*sp.Mem+s.noise(in.ID, "mem", t), 0, 100)*1e4) / 1e4
	}
	v := in.tagFloat("telltale:mem-base", 40) + 5*daily(t) + 2*s.noise(in.ID, "mem", t)
	return math.Round(clamp(v, 0, 100)*1e4) / 1e4
}

// agg is a statistic set being built.
type agg struct{ n, sum, min, max float64 }

func (a *agg) add(v float64) {
	if a.n == 0 || v < a.min {
		a.min = v
	}
	if a.n == 0 || v > a.max {
		a.max = v
	}
	a.n++
	a.sum += v
}

func (a *agg) merge(b agg) {
	if b.n == 0 {
		return
	}
	if a.n == 0 || b.min < a.min {
		a.min = b.min
	}
	if a.n == 0 || b.max > a.max {
		a.max = b.max
	}
	a.n += b.n
	a.sum += b.sum
}

func (a agg) datum(name, unit string, dims []metricdata.Dimension, ts time.Time) metricdata.MetricDatum {
	n, sum, mn, mx := a.n, a.sum, a.min, a.max
	t := ts
	return metricdata.MetricDatum{MetricName: name, Dimensions: dims, Timestamp: &t, Unit: unit,
		StatisticValues: &metricdata.StatisticSet{SampleCount: &n, Sum: &sum, Minimum: &mn, Maximum: &mx}}
}

var ec2Metrics = []struct{ name, unit string }{
	{"CPUUtilization", "Percent"}, {"NetworkIn", "Bytes"}, {"NetworkOut", "Bytes"},
	{"NetworkPacketsIn", "Count"}, {"NetworkPacketsOut", "Count"},
	{"DiskReadOps", "Count"}, {"DiskWriteOps", "Count"}, {"DiskReadBytes", "Bytes"}, {"DiskWriteBytes", "Bytes"},
	{"StatusCheckFailed", "Count"}, {"StatusCheckFailed_Instance", "Count"}, {"StatusCheckFailed_System", "Count"},
}

// minute returns the AWS/EC2 values of the minute starting at t, in
// ec2Metrics order.
func (s *Service) minute(in *instance, t time.Time) []float64 {
	c := s.cpu(in, t)
	netIn := math.Round((40000 + c*9000) * (1 + 0.2*s.noise(in.ID, "nin", t)))
	netOut := math.Round((25000 + c*12000) * (1 + 0.2*s.noise(in.ID, "nout", t)))
	return []float64{c, netIn, netOut, math.Round(netIn / 900), math.Round(netOut / 700), 0, 0, 0, 0, 0, 0, 0}
}

// periodAgg aggregates the minutes of [start, end) an instance was running
// (a reboot loses its minute).
func (s *Service) periodAgg(in *instance, start, end time.Time) []agg {
	aggs := make([]agg, len(ec2Metrics))
	for t := start; t.Before(end); t = t.Add(time.Minute) {
		if t.Add(time.Minute).Before(in.RunningSince) || (!in.RebootedAt.IsZero() && t.Equal(in.RebootedAt.Truncate(time.Minute))) {
			continue
		}
		for k, v := range s.minute(in, t) {
			aggs[k].add(v)
		}
	}
	return aggs
}

// publish runs at each minute boundary: instances that were running during
// the period ending now publish it.
func (s *Service) publish(at time.Time) {
	if s.d.Metrics == nil {
		return
	}
	type groupAgg struct {
		name string
		aggs []agg
	}
	var groups []*groupAgg
	byGroup := map[string]*groupAgg{}
	var agent []metricdata.MetricDatum
	var shipped []func() // the agents' log minutes, after the metrics
	alive := false
	five := at.Unix()%300 == 0
	for _, in := range s.all() {
		if in.State != "terminated" {
			alive = true
		}
		if in.RunningSince.IsZero() || !in.RunningSince.Before(at) || in.State != "running" {
			continue
		}
		var period time.Duration
		switch {
		case in.Detailed:
			period = time.Minute
		case five:
			period = 5 * time.Minute
		}
		start := at.Add(-period)
		if period > 0 {
			aggs := s.periodAgg(in, start, at)
			if aggs[0].n > 0 {
				dims := []metricdata.Dimension{{Name: "InstanceId", Value: in.ID}}
				data := make([]metricdata.MetricDatum, 0, len(ec2Metrics))
				for k, m := range ec2Metrics {
					if in.Detailed {
						v := aggs[k].sum
						if m.unit == "Percent" {
							v = aggs[k].sum / aggs[k].n
						}
						ts := start
						data = append(data, metricdata.MetricDatum{MetricName: m.name, Dimensions: dims, Timestamp: &ts, Unit: m.unit, Value: &v})
					} else {
						data = append(data, aggs[k].datum(m.name, m.unit, dims, start))
					}
				}
				s.d.Metrics.Publish("AWS/EC2", data)
			}
		}
		if in.Group != "" && five {
			aggs := s.periodAgg(in, at.Add(-5*time.Minute), at)
			if aggs[0].n > 0 {
				g := byGroup[in.Group]
				if g == nil {
					g = &groupAgg{name: in.Group, aggs: make([]agg, len(ec2Metrics))}
					byGroup[in.Group] = g
					groups = append(groups, g)
				}
				for k := range aggs {
					g.aggs[k].merge(aggs[k])
				}
			}
		}
		if five && burstable(in.InstanceType) {
			n, _ := vcpus(in.InstanceType)
			var used float64
			for t := at.Add(-5 * time.Minute); t.Before(at); t = t.Add(time.Minute) {
				if !t.Add(time.Minute).Before(in.RunningSince) {
					used += s.cpu(in, t) / 100 * float64(n)
				}
			}
			used = math.Round(used*1e6) / 1e6
			ts := at.Add(-5 * time.Minute)
			s.d.Metrics.Publish("AWS/EC2", []metricdata.MetricDatum{{MetricName: "CPUCreditUsage", Unit: "Count", Timestamp: &ts, Value: &used,
				Dimensions: []metricdata.Dimension{{Name: "InstanceId", Value: in.ID}}}})
		}
		if in.Agent && s.d.Logs != nil {
			from := at.Add(-time.Minute)
			if in.RunningSince.After(from) {
				from = in.RunningSince
			}
			tags := map[string]string{}
			for _, t := range in.Tags {
				tags[t.Key] = t.Value
			}
			shipped = append(shipped, func() {
				s.d.Logs.ShipAgentLogs(AgentInstance{ID: in.ID, ImageID: in.ImageID, InstanceType: in.InstanceType,
					PrivateIP: in.PrivateIP, UserData: in.UserData, Tags: tags}, from, at)
			})
		}
		if in.Agent {
			v := s.mem(in, at.Add(-time.Minute))
			ts := at.Add(-time.Minute)
			dims := []metricdata.Dimension{{Name: "InstanceId", Value: in.ID}, {Name: "ImageId", Value: in.ImageID}, {Name: "InstanceType", Value: in.InstanceType}}
			if in.Group != "" {
				dims = append(dims, metricdata.Dimension{Name: "AutoScalingGroupName", Value: in.Group})
			}
			agent = append(agent, metricdata.MetricDatum{MetricName: "mem_used_percent", Unit: "Percent", Timestamp: &ts, Value: &v, Dimensions: dims})
		}
	}
	for _, g := range groups {
		dims := []metricdata.Dimension{{Name: "AutoScalingGroupName", Value: g.name}}
		data := make([]metricdata.MetricDatum, 0, len(ec2Metrics))
		for k, m := range ec2Metrics {
			data = append(data, g.aggs[k].datum(m.name, m.unit, dims, at.Add(-5*time.Minute)))
		}
		s.d.Metrics.Publish("AWS/EC2", data)
	}
	if len(agent) > 0 {
		s.d.Metrics.Publish("CWAgent", agent)
	}
	for _, ship := range shipped {
		ship()
	}
	if !alive && s.ticking {
		s.d.Clock.Cancel(s.tick)
		s.ticking = false
	}
}

// Load is an injected load on instances.
type Load struct {
	InstanceIDs []string
	Group       string // or every instance of an Auto Scaling group
	CPU         *float64
	Mem         *float64
	For         time.Duration
}

// InjectLoad holds the CPU (and memory) of instances at a level from now on
// for a while, and returns the instances it applies to.
func (s *Service) InjectLoad(l Load) ([]string, error) {
	if l.CPU == nil && l.Mem == nil {
		return nil, errors.New("give --cpu or --mem (a percentage)")
	}
	for _, p := range []*float64{l.CPU, l.Mem} {
		if p != nil && (math.IsNaN(*p) || *p < 0 || *p > 100) {
			return nil, errors.New("a load is a percentage from 0 to 100")
		}
	}
	if l.For <= 0 || l.For > 14*24*time.Hour {
		return nil, errors.New("--for is a duration from 1s to 14 days (e.g. 15m)")
	}
	var list []*instance
	if l.Group != "" {
		for _, in := range s.all() {
			if in.Group == l.Group && in.State != "terminated" {
				list = append(list, in)
			}
		}
		if len(list) == 0 {
			return nil, errors.New("the Auto Scaling group " + l.Group + " has no instances")
		}
	} else {
		if len(l.InstanceIDs) == 0 {
			return nil, errors.New("give --instance-id or --auto-scaling-group-name")
		}
		found, err := s.find(l.InstanceIDs)
		if err != nil {
			return nil, err
		}
		list = found
	}
	now := s.d.Clock.Now()
	var out []string
	for _, in := range list {
		in.Spikes = append(in.Spikes, Spike{From: now.Truncate(time.Minute), Until: now.Add(l.For), CPU: l.CPU, Mem: l.Mem})
		// Keep the spikes that may still matter.
		keep := in.Spikes[:0]
		for _, sp := range in.Spikes {
			if now.Sub(sp.Until) < time.Hour {
				keep = append(keep, sp)
			}
		}
		in.Spikes = keep
		s.d.Store.Update(func(tx *store.Tx) error { return s.put(tx, in) })
		out = append(out, in.ID)
	}
	return out, nil
}

// IsInstanceID reports whether s looks like an instance id.
func IsInstanceID(s string) bool { return checkID(strings.TrimSpace(s)) == nil }
