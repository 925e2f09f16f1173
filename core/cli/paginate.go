package cli

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/jmespath/go-jmespath"

	"github.com/telltale-dev/telltale/core/api/models"
)

// This file ports botocore's PageIterator (botocore/paginate.py) as the AWS
// CLI drives it (awscli/customizations/paginate.py): automatic pagination of
// operations that botocore has a paginator for, --max-items, --starting-token
// and --page-size, and the NextToken the CLI prints when --max-items stops
// early.

// paginatorConfig is one entry of botocore's paginators-1.json.
type paginatorConfig struct {
	InputToken       []string
	OutputToken      []string
	LimitKey         string
	MoreResults      string
	ResultKey        []string
	NonAggregateKeys []string
}

func stringOrList(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(raw, &many)
	return many
}

// loadPaginator returns the paginator of an operation (by API name), or nil.
func loadPaginator(service, op string) *paginatorConfig {
	b, err := models.Paginators(service)
	if err != nil {
		return nil
	}
	var doc struct {
		Pagination map[string]struct {
			InputToken       json.RawMessage `json:"input_token"`
			OutputToken      json.RawMessage `json:"output_token"`
			LimitKey         string          `json:"limit_key"`
			MoreResults      string          `json:"more_results"`
			ResultKey        json.RawMessage `json:"result_key"`
			NonAggregateKeys []string        `json:"non_aggregate_keys"`
		} `json:"pagination"`
	}
	if json.Unmarshal(b, &doc) != nil {
		return nil
	}
	p, ok := doc.Pagination[op]
	if !ok {
		return nil
	}
	cfg := &paginatorConfig{
		InputToken: stringOrList(p.InputToken), OutputToken: stringOrList(p.OutputToken),
		LimitKey: p.LimitKey, MoreResults: p.MoreResults, ResultKey: stringOrList(p.ResultKey),
		NonAggregateKeys: p.NonAggregateKeys,
	}
	if len(cfg.InputToken) == 0 || len(cfg.ResultKey) == 0 {
		return nil
	}
	return cfg
}

// isDottedPath reports whether expr is a plain a.b.c path.
func isDottedPath(expr string) bool {
	for _, part := range strings.Split(expr, ".") {
		if part == "" {
			return false
		}
		for _, r := range part {
			if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}

// searchExpr evaluates a paginator expression on a page.
func searchExpr(v any, expr string) any {
	if isDottedPath(expr) {
		for _, part := range strings.Split(expr, ".") {
			d, ok := v.(*pyDict)
			if !ok {
				return nil
			}
			v, _ = d.get(part)
		}
		return v
	}
	res, err := jmespath.Search(expr, toJMES(v))
	if err != nil {
		return nil
	}
	return fromJMES(res, nil)
}

// setPath is botocore's set_value_from_jmespath for a dotted path.
func setPath(d *pyDict, expr string, v any) {
	parts := strings.Split(expr, ".")
	for _, part := range parts[:len(parts)-1] {
		next, ok := d.get(part)
		nd, isDict := next.(*pyDict)
		if !ok || !isDict {
			nd = newDict()
			d.set(part, nd)
		}
		d = nd
	}
	d.set(parts[len(parts)-1], v)
}

// pagingOptions are the CLI's paging arguments.
type pagingOptions struct {
	maxItems      *int64
	startingToken *string
	pageSize      any
}

// pageResult is what a paginated call returns.
type pageResult struct {
	pages        []*pyDict
	nonAggregate *pyDict
	resumeToken  string
}

// tokenDict is a next-token dictionary: input token name -> token (nil for
// none), plus boto_truncate_amount.
type tokenDict = *pyDict

func (cfg *paginatorConfig) encodeToken(t tokenDict) string {
	return base64.StdEncoding.EncodeToString([]byte(pyJSONDumps(t)))
}

// parseStartingToken is _parse_starting_token.
func (cfg *paginatorConfig) parseStartingToken(tok string) (tokenDict, int64, error) {
	if d, idx, ok := decodeToken(tok); ok {
		return d, idx, nil
	}
	// The deprecated token format: tokens joined by ___, optionally followed by
	// the truncation index.
	parts := strings.Split(tok, "___")
	var index int64
	if len(parts) == len(cfg.InputToken)+1 {
		if n, err := pyInt(parts[len(parts)-1]); err == nil && n.IsInt64() {
			index = n.Int64()
			parts = parts[:len(parts)-1]
		} else {
			parts = []string{tok}
		}
	}
	if len(parts) > len(cfg.InputToken) {
		return nil, 0, &generalErr{"Bad starting token: " + tok}
	}
	d := newDict()
	for i, name := range cfg.InputToken {
		if i < len(parts) && parts[i] != "None" {
			d.set(name, parts[i])
		} else {
			d.set(name, nil)
		}
	}
	return d, index, nil
}

func decodeToken(tok string) (tokenDict, int64, bool) {
	var clean strings.Builder
	for _, r := range tok {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '/' || r == '=' {
			clean.WriteRune(r)
		}
	}
	b, err := base64.StdEncoding.DecodeString(clean.String())
	if err != nil {
		return nil, 0, false
	}
	v, err := pyJSONLoads(string(b), false)
	if err != nil {
		return nil, 0, false
	}
	d, ok := v.(*pyDict)
	if !ok {
		return nil, 0, false
	}
	var index int64
	if x, ok := d.get("boto_truncate_amount"); ok {
		if n, ok := x.(*big.Int); ok && n.IsInt64() {
			index = n.Int64()
		}
		d.del("boto_truncate_amount")
	}
	return d, index, true
}

func injectToken(params *pyDict, tok tokenDict) {
	for _, k := range tok.keys {
		v := tok.vals[k]
		if v != nil && v != "None" {
			params.set(k, v)
		} else {
			params.del(k)
		}
	}
}

func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case bool:
		return x
	case []any:
		return len(x) > 0
	case *pyDict:
		return x.len() > 0
	case int64:
		return x != 0
	case float64:
		return x != 0
	}
	return true
}

func tokensEqual(a, b tokenDict) bool {
	if a == nil || b == nil || a.len() != b.len() {
		return false
	}
	for _, k := range a.keys {
		y, ok := b.get(k)
		if !ok || pyRepr(a.vals[k]) != pyRepr(y) {
			return false
		}
	}
	return true
}

// maxPages bounds a pagination, where botocore would loop as long as the
// service hands out new tokens.
const maxPages = 100000

// paginate is PageIterator.__iter__: it calls the operation page after page.
func (cfg *paginatorConfig) paginate(call func(*pyDict) (*pyDict, error), params *pyDict, o pagingOptions) (*pageResult, error) {
	res := &pageResult{nonAggregate: newDict()}
	next := newDict()
	for _, k := range cfg.InputToken {
		next.set(k, nil)
	}
	var startTrunc int64
	if o.startingToken != nil {
		t, idx, err := cfg.parseStartingToken(*o.startingToken)
		if err != nil {
			return nil, err
		}
		next, startTrunc = t, idx
		injectToken(params, t)
	}
	if o.pageSize != nil {
		params.set(cfg.LimitKey, o.pageSize)
	}
	var total int64
	first := true
	primary := cfg.ResultKey[0]
	var previous tokenDict
	setResume := func(t tokenDict) {
		res.resumeToken = cfg.encodeToken(t)
	}
	for n := 0; ; n++ {
		if n >= maxPages {
			return nil, &generalErr{"Error during pagination: too many pages"}
		}
		page, err := call(params)
		if err != nil {
			return nil, err
		}
		if page == nil {
			page = newDict()
		}
		if first {
			if o.startingToken != nil {
				all := searchExpr(page, primary)
				var data any
				if l, ok := all.([]any); ok {
					if startTrunc < int64(len(l)) && startTrunc >= 0 {
						data = l[startTrunc:]
					} else {
						data = []any{}
					}
				} else if s, ok := all.(string); ok {
					r := []rune(s)
					if startTrunc < int64(len(r)) && startTrunc >= 0 {
						data = string(r[startTrunc:])
					} else {
						data = ""
					}
				}
				setPath(page, primary, data)
				for _, rk := range cfg.ResultKey[1:] {
					var empty any
					switch x := searchExpr(page, rk).(type) {
					case []any:
						empty = []any{}
					case string:
						empty = ""
					case int64, float64:
						empty = x
					}
					setPath(page, rk, empty)
				}
			} else {
				startTrunc = 0
			}
			first = false
			for _, k := range cfg.NonAggregateKeys {
				setPath(res.nonAggregate, k, searchExpr(page, k))
			}
		} else {
			startTrunc = 0
		}
		cur, _ := searchExpr(page, primary).([]any)
		num := int64(len(cur))
		var truncate int64
		if o.maxItems != nil {
			truncate = total + num - *o.maxItems
		}
		if truncate > 0 {
			keep := num - truncate
			if keep < 0 {
				keep = 0
			}
			setPath(page, primary, append([]any{}, cur[:keep]...))
			next.set("boto_truncate_amount", keep+startTrunc)
			setResume(next)
			res.pages = append(res.pages, page)
			break
		}
		res.pages = append(res.pages, page)
		total += num
		next = cfg.nextToken(page)
		allNone := true
		for _, k := range next.keys {
			if next.vals[k] != nil {
				allNone = false
			}
		}
		if allNone {
			break
		}
		if o.maxItems != nil && total == *o.maxItems {
			setResume(next)
			break
		}
		if previous != nil && tokensEqual(previous, next) {
			return nil, &generalErr{"Error during pagination: The same next token was received twice: " + pyRepr(next)}
		}
		injectToken(params, next)
		previous = next
	}
	return res, nil
}

// nextToken is _get_next_token.
func (cfg *paginatorConfig) nextToken(page *pyDict) tokenDict {
	out := newDict()
	if cfg.MoreResults != "" && !truthy(searchExpr(page, cfg.MoreResults)) {
		return out
	}
	for i, ot := range cfg.OutputToken {
		if i >= len(cfg.InputToken) {
			break
		}
		t := searchExpr(page, ot)
		if truthy(t) {
			out.set(cfg.InputToken[i], t)
		} else {
			out.set(cfg.InputToken[i], nil)
		}
	}
	return out
}

// fullResult is build_full_result: the pages' result keys merged, the
// non-aggregate part, and NextToken when --max-items stopped early.
func (cfg *paginatorConfig) fullResult(r *pageResult) *pyDict {
	out := newDict()
	for _, page := range r.pages {
		for _, rk := range cfg.ResultKey {
			v := searchExpr(page, rk)
			if v == nil {
				continue
			}
			existing := searchExpr(out, rk)
			if existing == nil {
				setPath(out, rk, copyValue(v))
				continue
			}
			switch x := v.(type) {
			case []any:
				if e, ok := existing.([]any); ok {
					setPath(out, rk, append(e, x...))
				}
			case int64:
				if e, ok := existing.(int64); ok {
					setPath(out, rk, e+x)
				}
			case float64:
				if e, ok := existing.(float64); ok {
					setPath(out, rk, e+x)
				}
			case string:
				if e, ok := existing.(string); ok {
					setPath(out, rk, e+x)
				}
			}
		}
	}
	mergeDicts(out, r.nonAggregate)
	if r.resumeToken != "" {
		out.set("NextToken", r.resumeToken)
	}
	return out
}

func copyValue(v any) any {
	if l, ok := v.([]any); ok {
		return append([]any{}, l...)
	}
	return v
}

// mergeDicts is botocore.utils.merge_dicts: extra is merged into base,
// recursively for dicts.
func mergeDicts(base, extra *pyDict) {
	for _, k := range extra.keys {
		ev := extra.vals[k]
		if ed, ok := ev.(*pyDict); ok {
			if bd, ok := base.vals[k].(*pyDict); ok {
				mergeDicts(bd, ed)
				continue
			}
		}
		base.set(k, ev)
	}
}

// pageForText is what the text output prints for page i of a pagination.
func (cfg *paginatorConfig) pageForText(r *pageResult, i int) *pyDict {
	cur := newDict()
	if i == 0 {
		cur = r.nonAggregate
	}
	for _, rk := range cfg.ResultKey {
		setPath(cur, rk, searchExpr(r.pages[i], rk))
	}
	return cur
}

var _ = fmt.Sprint
