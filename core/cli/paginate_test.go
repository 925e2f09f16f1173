package cli

import (
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestPaginateOracle drives the port of PageIterator with a fake operation
// (8 items, 3 per page unless Limit says otherwise) and compares
// build_full_result with what botocore's own PageIterator returned for the
// same calls (testdata/paginate.json).
func TestPaginateOracle(t *testing.T) {
	src, err := os.ReadFile("testdata/paginate.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		MaxItems      *int64          `json:"max_items"`
		PageSize      *int64          `json:"page_size"`
		StartingToken *string         `json:"starting_token"`
		Result        json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(src, &cases); err != nil {
		t.Fatal(err)
	}
	cfg := &paginatorConfig{InputToken: []string{"NextToken"}, OutputToken: []string{"NextToken"}, LimitKey: "Limit",
		ResultKey: []string{"Items", "Count"}, NonAggregateKeys: []string{"Meta"}}
	call := func(p *pyDict) (*pyDict, error) {
		size := int64(3)
		if v, ok := p.get("Limit"); ok {
			size = v.(*big.Int).Int64()
		}
		var start int64
		if v, ok := p.get("NextToken"); ok {
			if n, err := strconv.ParseInt(strings.TrimPrefix(v.(string), "t"), 10, 64); err == nil {
				start = n
			}
		}
		items := []any{}
		for n := start; n < start+size && n < 8; n++ {
			items = append(items, fmt.Sprintf("i%d", n))
		}
		d := newDict()
		d.set("Items", items)
		d.set("Count", int64(len(items)))
		d.set("Meta", "m")
		if start+size < 8 {
			d.set("NextToken", fmt.Sprintf("t%d", start+size))
		}
		return d, nil
	}
	for _, c := range cases {
		o := pagingOptions{maxItems: c.MaxItems, startingToken: c.StartingToken}
		if c.PageSize != nil {
			o.pageSize = big.NewInt(*c.PageSize)
		}
		res, err := cfg.paginate(call, newDict(), o)
		if err != nil {
			t.Errorf("%+v: %v", c, err)
			continue
		}
		want, _ := pyJSONLoads(string(c.Result), false)
		if got, w := pyJSONDumps(cfg.fullResult(res)), pyJSONDumps(want); got != w {
			t.Errorf("max_items=%v page_size=%v token=%v:\nwant %s\ngot  %s", deref(c.MaxItems), deref(c.PageSize), c.StartingToken, w, got)
		}
	}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
