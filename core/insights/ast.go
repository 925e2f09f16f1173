package insights

import (
	"regexp"
	"time"
)

// Expr is an expression of the language: a literal, a field, an operator
// or a function call.
type Expr interface{ span() (int, int) }

type pos struct{ start, end int }

func (p pos) span() (int, int) { return p.start, p.end }

// Lit is a literal value.
type Lit struct {
	pos
	V Value
}

// Field is a reference to a field by name (dotted names included).
type Field struct {
	pos
	Name string
}

// Period is a period literal such as 5m, as bin() and datefloor() take.
type Period struct {
	pos
	N    float64
	Unit string        // canonical unit: ms s m h d w mo q y
	D    time.Duration // fixed length for units up to a week
}

// RegexLit is a /regex/ literal.
type RegexLit struct {
	pos
	Src string
	Re  *regexp.Regexp
}

// Unary is -x or not x.
type Unary struct {
	pos
	Op string
	X  Expr
}

// Binary is an arithmetic, comparison or boolean operation.
type Binary struct {
	pos
	Op   string // + - * / % ^ = != < <= > >= and or
	L, R Expr
}

// Like is x like "substring", x like /re/, x =~ /re/ (Not for not like).
type Like struct {
	pos
	X   Expr
	Pat Expr // *Lit (substring) or *RegexLit
	Not bool
}

// In is x in [list] or x not in [list].
type In struct {
	pos
	X    Expr
	List []Expr
	Not  bool
}

// List is a list literal [a, b].
type List struct {
	pos
	Items []Expr
}

// Index is x[i].
type Index struct {
	pos
	X, I Expr
}

// Call is a function call.
type Call struct {
	pos
	Name string // lower case
	Args []Expr
	Star bool // count(*)
}

// Item is an expression with an optional alias, as fields, display and
// stats list them; Name is the column it produces.
type Item struct {
	X     Expr
	Alias string
	Name  string
}

// Command is one command of a query.
type Command interface{ cmdName() string }

// FieldsCmd is fields.
type FieldsCmd struct{ Items []Item }

// DisplayCmd is display.
type DisplayCmd struct{ Items []Item }

// FilterCmd is filter (or where).
type FilterCmd struct{ Cond Expr }

// StatsCmd is stats.
type StatsCmd struct {
	Aggs []Item
	By   []Item
}

// SortKey is one key of sort.
type SortKey struct {
	X    Expr
	Desc bool
}

// SortCmd is sort.
type SortCmd struct{ Keys []SortKey }

// LimitCmd is limit n (Any for limit any).
type LimitCmd struct {
	N   int
	Any bool
}

// ParseCmd is parse with a glob or a regex.
type ParseCmd struct {
	Src   Expr
	Glob  []string // literal parts around the stars (len = stars + 1)
	Re    *regexp.Regexp
	Names []string
}

// DedupCmd is dedup.
type DedupCmd struct{ Fields []Expr }

// UnmaskCmd is unmask.
type UnmaskCmd struct{}

// PatternCmd is pattern.
type PatternCmd struct{ X Expr }

// DiffCmd is diff (Mode: "", previousDay, previousWeek, previousMonth).
type DiffCmd struct{ Mode string }

// FilterIndexCmd is filterIndex.
type FilterIndexCmd struct{ Cond Expr }

// UnnestCmd is unnest field into name.
type UnnestCmd struct {
	X    Expr
	Into string
}

// SourceCmd is SOURCE: log groups by name prefix, account and class, or
// by name.
type SourceCmd struct {
	Names      []string
	Prefixes   []string
	Accounts   []string
	Classes    []string
	Start, End *int64 // START= and END= in ms, as DescribeQueries shows them
}

func (*FieldsCmd) cmdName() string      { return "fields" }
func (*DisplayCmd) cmdName() string     { return "display" }
func (*FilterCmd) cmdName() string      { return "filter" }
func (*StatsCmd) cmdName() string       { return "stats" }
func (*SortCmd) cmdName() string        { return "sort" }
func (*LimitCmd) cmdName() string       { return "limit" }
func (*ParseCmd) cmdName() string       { return "parse" }
func (*DedupCmd) cmdName() string       { return "dedup" }
func (*UnmaskCmd) cmdName() string      { return "unmask" }
func (*PatternCmd) cmdName() string     { return "pattern" }
func (*DiffCmd) cmdName() string        { return "diff" }
func (*FilterIndexCmd) cmdName() string { return "filterIndex" }
func (*UnnestCmd) cmdName() string      { return "unnest" }
func (*SourceCmd) cmdName() string      { return "SOURCE" }
