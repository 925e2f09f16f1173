package cli

import "testing"

// TestScriptLinesComments: quotes and backslashes inside a # comment neither
// open a quoted string nor continue the line.
func TestScriptLinesComments(t *testing.T) {
	src := "# the group's events\naws logs describe-log-groups\nclock advance 1m # it's a minute \\\naws sts get-caller-identity\necho 'a # b'\n"
	lines, err := ScriptLines(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []ScriptLine{{Line: 2, Text: "aws logs describe-log-groups"}, {Line: 3, Text: "clock advance 1m"},
		{Line: 4, Text: "aws sts get-caller-identity"}, {Line: 5, Text: "echo 'a # b'"}}
	if len(lines) != len(want) {
		t.Fatalf("lines %+v", lines)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d: %+v, want %+v", i, lines[i], want[i])
		}
	}
}
