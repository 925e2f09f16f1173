package cli

import (
	"errors"
	"strings"
)

// SplitLine splits a command line into words with the shell's quoting rules:
// 'single quotes' keep everything, "double quotes" keep everything but \" \\ \$
// \`, a backslash outside quotes escapes the next character, and a backslash
// before a newline joins lines.
func SplitLine(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\':
			if i+1 >= len(rs) {
				return nil, errors.New("the line ends with a backslash")
			}
			i++
			if rs[i] == '\n' {
				continue
			}
			cur.WriteRune(rs[i])
			inWord = true
		case r == '\'':
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				j++
			}
			if j >= len(rs) {
				return nil, errors.New("a single quote is not closed")
			}
			cur.WriteString(string(rs[i+1 : j]))
			i, inWord = j, true
		case r == '"':
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) && strings.ContainsRune("\"\\$`\n", rs[j+1]) {
					j++
					if rs[j] != '\n' {
						cur.WriteRune(rs[j])
					}
					continue
				}
				cur.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, errors.New("a double quote is not closed")
			}
			i, inWord = j, true
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// ScriptLine is one command of a script, with the number of the line it starts
// on.
type ScriptLine struct {
	Line int
	Text string
}

// ScriptLines splits a script into commands: blank lines and # comments are
// dropped, and a line ending in a backslash (outside single quotes) continues
// on the next. A quote left open continues on the next line too, as in a
// shell.
func ScriptLines(src string) ([]ScriptLine, error) {
	var out []ScriptLine
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		text := lines[i]
		for (strings.HasSuffix(text, "\\") && !strings.HasSuffix(text, "\\\\")) || openQuote(text) {
			if i+1 >= len(lines) {
				break
			}
			i++
			text += "\n" + lines[i]
		}
		t := strings.TrimSpace(stripComment(text))
		if t == "" {
			continue
		}
		out = append(out, ScriptLine{Line: start + 1, Text: t})
	}
	return out, nil
}

// openQuote reports whether text leaves a quote open.
func openQuote(text string) bool {
	var q rune
	esc := false
	for _, r := range text {
		switch {
		case esc:
			esc = false
		case r == '\\' && q != '\'':
			esc = true
		case q == 0 && (r == '\'' || r == '"'):
			q = r
		case r == q:
			q = 0
		}
	}
	return q != 0
}

// stripComment removes a # comment that starts a word outside quotes.
func stripComment(text string) string {
	var q rune
	esc := false
	prevSpace := true
	for i, r := range text {
		switch {
		case esc:
			esc = false
		case r == '\\' && q != '\'':
			esc = true
		case q == 0 && (r == '\'' || r == '"'):
			q = r
		case r == q:
			q = 0
		case q == 0 && r == '#' && prevSpace:
			return text[:i]
		}
		prevSpace = r == ' ' || r == '\t' || r == '\n'
	}
	return text
}
