package cli

import (
	"io"
	"math"
	"sort"
	"strings"
)

// This file ports awscli/table.py (MultiTable, Section) and the
// TableFormatter of awscli/formatter.py, without colour: the output of the CLI
// when stdout is not a terminal, which is 80 columns wide for the CLI.

// tableWidth is the terminal width the CLI assumes when stdout is not a
// terminal.
const tableWidth = 80

type section struct {
	title     string
	headers   []string
	rows      [][]string
	indent    int
	numCols   int
	hasCols   bool
	maxWidths []int
}

// textLength is get_text_length: East Asian wide, full-width and ambiguous
// characters count two columns.
func textLength(s string) int {
	n := 0
	for _, r := range s {
		if eastAsianWide(r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// eastAsianWide reports whether unicodedata.east_asian_width(r) is W, F or A,
// for the ranges that occur in practice.
func eastAsianWide(r rune) bool {
	switch {
	case r < 0xa1:
		return false
	case r == 0xa1 || r == 0xa4 || r == 0xa7 || r == 0xa8 || r == 0xaa || r == 0xad || r == 0xae,
		r >= 0xb0 && r <= 0xb4, r >= 0xb6 && r <= 0xba, r >= 0xbc && r <= 0xbf,
		r == 0xc6, r == 0xd0, r == 0xd7, r == 0xd8, r >= 0xde && r <= 0xe1, r == 0xe6,
		r >= 0xe8 && r <= 0xea, r == 0xec, r == 0xed, r == 0xf0, r == 0xf2, r == 0xf3,
		r >= 0xf7 && r <= 0xfa, r == 0xfc, r == 0xfe:
		return true
	case r >= 0x391 && r <= 0x3a9, r >= 0x3b1 && r <= 0x3c9, r == 0x401, r >= 0x410 && r <= 0x44f, r == 0x451:
		return true
	case r >= 0x1100 && r <= 0x115f, r >= 0x2010 && r <= 0x2027 && r != 0x2011 && r != 0x2012 && r != 0x2017 && r != 0x201a && r != 0x201b && r != 0x201e && r != 0x201f && r != 0x2022 && r != 0x2023,
		r >= 0x2460 && r <= 0x24e9, r >= 0x2500 && r <= 0x257f, r >= 0x25a0 && r <= 0x25ff && r != 0x25a2,
		r >= 0x2600 && r <= 0x27bf, r >= 0x2e80 && r <= 0x303e, r >= 0x3041 && r <= 0x33ff,
		r >= 0x3400 && r <= 0x4dbf, r >= 0x4e00 && r <= 0x9fff, r >= 0xa000 && r <= 0xa4cf,
		r >= 0xac00 && r <= 0xd7a3, r >= 0xe000 && r <= 0xf8ff, r >= 0xf900 && r <= 0xfaff,
		r >= 0xfe10 && r <= 0xfe19, r >= 0xfe30 && r <= 0xfe6f, r >= 0xff00 && r <= 0xff60,
		r >= 0xffe0 && r <= 0xffe6, r == 0xfffd, r >= 0x1f300 && r <= 0x1f64f, r >= 0x1f900 && r <= 0x1f9ff,
		r >= 0x20000 && r <= 0x3fffd:
		return true
	}
	return false
}

func (s *section) updateMaxWidths(row []string) {
	if len(s.maxWidths) == 0 {
		s.maxWidths = make([]int, len(row))
		for i, e := range row {
			s.maxWidths[i] = textLength(e)
		}
		return
	}
	for i, e := range row {
		if i < len(s.maxWidths) && textLength(e) > s.maxWidths[i] {
			s.maxWidths[i] = textLength(e)
		}
	}
}

func (s *section) addHeader(h []string) {
	s.updateMaxWidths(h)
	if !s.hasCols {
		s.numCols, s.hasCols = len(h), true
	}
	s.headers = h
}

func (s *section) addRow(row []string) {
	if !s.hasCols {
		s.numCols, s.hasCols = len(row), true
	}
	// The CLI raises "Row should have N elements"; a mismatched row only
	// occurs with hand-made data, and is padded or cut here.
	for len(row) < s.numCols {
		row = append(row, "")
	}
	row = row[:s.numCols]
	s.rows = append(s.rows, row)
	s.updateMaxWidths(row)
}

// pyRound is Python 3's round(): half to even.
func pyRound(f float64) int { return int(math.RoundToEven(f)) }

func (s *section) columnWidths(padding int, maxWidth int) []int {
	widths := make([]int, len(s.maxWidths))
	sum := 0
	for i, w := range s.maxWidths {
		widths[i] = w + padding
		sum += widths[i]
	}
	if maxWidth < 0 || len(widths) == 0 {
		return widths
	}
	scale := float64(maxWidth) / float64(sum)
	scaled := make([]int, len(widths))
	total := 0
	for i, w := range widths {
		scaled[i] = pyRound(scale * float64(w))
		total += scaled[i]
	}
	off := total - maxWidth
	for off != 0 {
		if off > 0 {
			for i := 0; i < len(scaled) && off != 0; i++ {
				scaled[i]--
				off--
			}
		} else {
			for i := len(scaled) - 1; i >= 0 && off != 0; i-- {
				scaled[i]++
				off++
			}
		}
	}
	return scaled
}

func (s *section) totalWidth(padding int, border bool, outer int) int {
	total := 0
	for _, w := range s.columnWidths(0, -1) {
		total += w + padding
	}
	if border {
		total += 2
	}
	total += 2 * outer
	if t := textLength(s.title) + 2 + 2*outer; t > total {
		return t
	}
	return total
}

type multiTable struct {
	sections []*section
	cur      *section
}

func (t *multiTable) newSection(title string, indent int) {
	t.cur = &section{title: title, indent: indent}
	t.sections = append(t.sections, t.cur)
}

func (t *multiTable) maxWidth() int {
	m := 0
	for _, s := range t.sections {
		if w := s.totalWidth(4, true, s.indent); w > m {
			m = w
		}
	}
	return m
}

func centerText(text string, length int, left, right string, textLen int) string {
	start := length/2 - textLen/2 - 1
	out := left + strings.Repeat(" ", max(start, 0)) + text
	so := textLength(left) + start + textLen
	rs := length - textLength(right) - so
	if rs < 0 {
		rs = 0
	}
	return out + strings.Repeat(" ", rs) + right
}

func alignLeft(text string, length int, left, right string, textLen int) string {
	padding := 0
	if length-(textLen+2+textLength(left)+textLength(right)) >= 0 {
		padding = 2
	}
	so := len(left) + padding + textLen
	fill := length - so - len(right)
	if fill < 0 {
		fill = 0
	}
	return left + strings.Repeat(" ", padding) + text + strings.Repeat(" ", fill) + right
}

// indentedWriter is IndentedStream.
type indentedWriter struct {
	b      *strings.Builder
	indent int
}

func (w indentedWriter) write(text string) {
	w.b.WriteString(strings.Repeat("|", w.indent))
	if strings.HasSuffix(text, "\n") {
		w.b.WriteString(text[:len(text)-1])
		w.b.WriteString(strings.Repeat("|", w.indent))
		w.b.WriteString("\n")
	} else {
		w.b.WriteString(text)
	}
}

func (t *multiTable) render(out io.Writer) {
	var b strings.Builder
	mw := t.maxWidth()
	if mw > tableWidth {
		// convert_to_vertical_table
		for i, s := range t.sections {
			if len(s.rows) == 1 && len(s.headers) > 0 {
				ns := &section{title: s.title, indent: s.indent}
				for j, h := range s.headers {
					if j < len(s.rows[0]) {
						ns.addRow([]string{h, s.rows[0][j]})
					}
				}
				t.sections[i] = ns
			}
		}
		mw = t.maxWidth()
	}
	b.WriteString(strings.Repeat("-", mw) + "\n")
	for _, s := range t.sections {
		w := indentedWriter{&b, s.indent}
		width := mw - s.indent*2
		if s.title != "" {
			w.write(centerText(s.title, width, "|", "|", textLength(s.title)) + "\n")
			if len(s.headers) == 0 && len(s.rows) == 0 {
				w.write("+" + strings.Repeat("-", width-2) + "+\n")
			}
		}
		if len(s.headers) > 0 {
			widths := s.columnWidths(4, width)
			var cur strings.Builder
			for i, h := range s.headers {
				if i >= len(widths) {
					break
				}
				left := ""
				if i == 0 {
					left = "|"
				}
				cur.WriteString(centerText(h, widths[i], left, "|", textLength(h)))
			}
			w.write(lineBreak(widths))
			w.write(cur.String() + "\n")
		}
		if len(s.rows) > 0 {
			widths := s.columnWidths(4, width)
			if len(widths) > 0 {
				w.write(lineBreak(widths))
				for _, row := range s.rows {
					var cur strings.Builder
					for i, e := range row {
						if i >= len(widths) {
							break
						}
						left := ""
						if i == 0 {
							left = "|"
						}
						cur.WriteString(alignLeft(e, widths[i], left, "|", textLength(e)))
					}
					w.write(cur.String() + "\n")
				}
				w.write(lineBreak(widths))
			}
		}
	}
	io.WriteString(out, b.String())
}

func lineBreak(widths []int) string {
	var b strings.Builder
	for i, w := range widths {
		if i == 0 {
			b.WriteString("+" + strings.Repeat("-", max(w-2, 0)) + "+")
		} else {
			b.WriteString(strings.Repeat("-", max(w-1, 0)) + "+")
		}
	}
	b.WriteString("\n")
	return b.String()
}

// writeTable prints v as the TableFormatter does, with title as the title of
// the first section (the operation's name).
func writeTable(out io.Writer, title string, v any) {
	t := &multiTable{}
	if t.build(title, true, v, 0) {
		t.render(out)
	}
}

func scalarType(v any) bool { return !isContainer(v) }

func tableFalsy(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case *pyDict:
		return x.len() == 0
	case []any:
		return len(x) == 0
	case string:
		return x == ""
	case bool:
		return !x
	case int64:
		return x == 0
	case float64:
		return x == 0
	}
	return false
}

func (t *multiTable) build(title string, hasTitle bool, cur any, indent int) bool {
	if tableFalsy(cur) {
		return false
	}
	if hasTitle {
		t.newSection(title, indent)
	}
	switch x := cur.(type) {
	case []any:
		if _, ok := x[0].(*pyDict); ok {
			t.subTableFromList(x, indent, title)
		} else {
			for _, item := range x {
				if scalarType(item) {
					t.addRow([]string{pyStr(item)})
					continue
				}
				if d, ok := item.(*pyDict); ok {
					// Iterating a dict gives its keys, which are all scalars.
					t.addRow(append([]string(nil), d.keys...))
					continue
				}
				l, isList := item.([]any)
				allScalar := isList
				if isList {
					for _, e := range l {
						if !scalarType(e) {
							allScalar = false
						}
					}
				}
				if allScalar {
					row := make([]string, len(l))
					for i, e := range l {
						row[i] = pyStr(e)
					}
					t.addRow(row)
				} else {
					t.build("", false, item, 0)
				}
			}
		}
	case *pyDict:
		t.subTableFromDict(x, indent)
	}
	return true
}

func (t *multiTable) addRow(row []string) {
	if t.cur == nil {
		t.newSection("", 0)
	}
	t.cur.addRow(row)
}

func (t *multiTable) addHeader(h []string) {
	if t.cur == nil {
		t.newSection("", 0)
	}
	t.cur.addHeader(h)
}

func groupScalarKeys(d *pyDict) (headers, more []string) {
	for _, k := range d.keys {
		if scalarType(d.vals[k]) {
			headers = append(headers, k)
		} else {
			more = append(more, k)
		}
	}
	sort.Strings(headers)
	sort.Strings(more)
	return headers, more
}

func (t *multiTable) subTableFromDict(cur *pyDict, indent int) {
	headers, more := groupScalarKeys(cur)
	if len(headers) == 1 {
		t.addRow([]string{headers[0], pyStr(cur.vals[headers[0]])})
	} else if len(headers) > 0 {
		t.addHeader(headers)
		row := make([]string, len(headers))
		for i, h := range headers {
			row[i] = pyStr(cur.vals[h])
		}
		t.addRow(row)
	}
	for _, k := range more {
		t.build(k, true, cur.vals[k], indent+1)
	}
}

func (t *multiTable) subTableFromList(cur []any, indent int, title string) {
	hs, ms := map[string]bool{}, map[string]bool{}
	for _, e := range cur {
		d, ok := e.(*pyDict)
		if !ok {
			continue
		}
		h, m := groupScalarKeys(d)
		for _, k := range h {
			hs[k] = true
		}
		for _, k := range m {
			ms[k] = true
		}
	}
	headers := sortedSet(hs)
	more := sortedSet(ms)
	t.addHeader(headers)
	first := true
	for _, e := range cur {
		d, _ := e.(*pyDict)
		if !first && len(more) > 0 {
			t.newSection(title, indent)
			t.addHeader(headers)
		}
		first = false
		row := make([]string, len(headers))
		for i, h := range headers {
			if v, ok := d.get(h); ok {
				row[i] = pyStr(v)
			}
		}
		t.addRow(row)
		for _, k := range more {
			if v, ok := d.get(k); ok {
				t.build(k, true, v, indent+1)
			}
		}
	}
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
