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
	// The syntax characters are all ASCII, so the line is scanned byte by
	// byte and other bytes (UTF-8 or not) are kept as they are.
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\':
			if i+1 >= len(line) {
				return nil, errors.New("the line ends with a backslash")
			}
			i++
			if line[i] == '\n' {
				continue
			}
			cur.WriteByte(line[i])
			inWord = true
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("a single quote is not closed")
			}
			cur.WriteString(line[i+1 : i+1+j])
			i, inWord = i+1+j, true
		case c == '"':
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' && j+1 < len(line) && strings.IndexByte("\"\\$`\n", line[j+1]) >= 0 {
					j++
					if line[j] != '\n' {
						cur.WriteByte(line[j])
					}
					continue
				}
				cur.WriteByte(line[j])
			}
			if j >= len(line) {
				return nil, errors.New("a double quote is not closed")
			}
			i, inWord = j, true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
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
		// A quote or a backslash inside a # comment continues nothing.
		for code := stripComment(text); (strings.HasSuffix(code, "\\") && !strings.HasSuffix(code, "\\\\")) || openQuote(code); code = stripComment(text) {
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
