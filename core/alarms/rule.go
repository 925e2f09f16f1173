package alarms

import (
	"fmt"
	"strings"
)

// Rule limits of PutCompositeAlarm.
const (
	MaxRuleLength   = 10240
	MaxRuleChildren = 100
	MaxRuleElements = 500
	maxRuleDepth    = 100
)

// Rule is a parsed composite alarm rule.
type Rule struct {
	root *node
	// Children are the alarms the rule names (names or ARNs as written),
	// without duplicates, in order of first appearance.
	Children []string
}

type node struct {
	op    string // AND OR NOT TRUE FALSE ALARM OK INSUFFICIENT_DATA
	kids  []*node
	alarm string
}

// ParseRule parses an AlarmRule: ALARM(x), OK(x), INSUFFICIENT_DATA(x),
// TRUE, FALSE, NOT, AND, OR and parentheses (NOT binds tighter than AND,
// AND tighter than OR). Alarm names may be bare or "quoted".
func ParseRule(s string) (*Rule, error) {
	if len(s) == 0 || len(s) > MaxRuleLength {
		return nil, fmt.Errorf("the rule must be 1 to %d characters long", MaxRuleLength)
	}
	p := &ruleParser{s: s}
	n, err := p.or(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.s) {
		return nil, fmt.Errorf("unexpected %q at position %d", p.rest(), p.i+1)
	}
	if p.elements > MaxRuleElements {
		return nil, fmt.Errorf("the rule has more than %d elements", MaxRuleElements)
	}
	if len(p.children) > MaxRuleChildren {
		return nil, fmt.Errorf("the rule names more than %d alarms", MaxRuleChildren)
	}
	return &Rule{root: n, Children: p.children}, nil
}

type ruleParser struct {
	s        string
	i        int
	elements int
	children []string
	seen     map[string]bool
}

func (p *ruleParser) rest() string {
	r := p.s[p.i:]
	if len(r) > 20 {
		r = r[:20]
	}
	return r
}

func (p *ruleParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// word reads an upper-case keyword without consuming it on a mismatch.
func (p *ruleParser) keyword(k string) bool {
	p.space()
	if !strings.HasPrefix(p.s[p.i:], k) {
		return false
	}
	end := p.i + len(k)
	if end < len(p.s) {
		c := p.s[end]
		if c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			return false
		}
	}
	p.i = end
	return true
}

func (p *ruleParser) or(depth int) (*node, error) {
	if depth > maxRuleDepth {
		return nil, fmt.Errorf("the rule is nested too deeply")
	}
	n, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.keyword("OR") {
		m, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		n = &node{op: "OR", kids: []*node{n, m}}
	}
	return n, nil
}

func (p *ruleParser) and(depth int) (*node, error) {
	n, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	for p.keyword("AND") {
		m, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		n = &node{op: "AND", kids: []*node{n, m}}
	}
	return n, nil
}

func (p *ruleParser) unary(depth int) (*node, error) {
	if depth > maxRuleDepth {
		return nil, fmt.Errorf("the rule is nested too deeply")
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("unexpected end of the rule")
	}
	if p.keyword("NOT") {
		n, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &node{op: "NOT", kids: []*node{n}}, nil
	}
	if p.s[p.i] == '(' {
		p.i++
		p.elements += 2
		n, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			return nil, fmt.Errorf("missing ')' at position %d", p.i+1)
		}
		p.i++
		return n, nil
	}
	for _, k := range []string{"TRUE", "FALSE"} {
		if p.keyword(k) {
			p.elements++
			return &node{op: k}, nil
		}
	}
	for _, k := range []string{"ALARM", "OK", "INSUFFICIENT_DATA"} {
		if p.keyword(k) {
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != '(' {
				return nil, fmt.Errorf("expected '(' after %s at position %d", k, p.i+1)
			}
			p.i++
			name, err := p.alarmName()
			if err != nil {
				return nil, err
			}
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != ')' {
				return nil, fmt.Errorf("missing ')' at position %d", p.i+1)
			}
			p.i++
			p.elements++
			if p.seen == nil {
				p.seen = map[string]bool{}
			}
			if !p.seen[name] {
				p.seen[name] = true
				p.children = append(p.children, name)
			}
			return &node{op: k, alarm: name}, nil
		}
	}
	return nil, fmt.Errorf("unexpected %q at position %d", p.rest(), p.i+1)
}

func (p *ruleParser) alarmName() (string, error) {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '"' {
		end := strings.IndexByte(p.s[p.i+1:], '"')
		if end < 0 {
			return "", fmt.Errorf("unterminated quoted alarm name at position %d", p.i+1)
		}
		name := p.s[p.i+1 : p.i+1+end]
		p.i += end + 2
		if name == "" {
			return "", fmt.Errorf("empty alarm name at position %d", p.i)
		}
		return name, nil
	}
	start := p.i
	for p.i < len(p.s) && p.s[p.i] != ')' && p.s[p.i] != '(' {
		p.i++
	}
	name := strings.TrimSpace(p.s[start:p.i])
	if name == "" {
		return "", fmt.Errorf("missing alarm name at position %d", start+1)
	}
	return name, nil
}

// Eval evaluates the rule, state giving each named alarm's state ("" for an
// alarm that does not exist: no state function is then true).
func (r *Rule) Eval(state func(alarm string) string) bool { return r.root.eval(state) }

func (n *node) eval(state func(string) string) bool {
	switch n.op {
	case "TRUE":
		return true
	case "FALSE":
		return false
	case "NOT":
		return !n.kids[0].eval(state)
	case "AND":
		return n.kids[0].eval(state) && n.kids[1].eval(state)
	case "OR":
		return n.kids[0].eval(state) || n.kids[1].eval(state)
	}
	return state(n.alarm) == n.op
}
