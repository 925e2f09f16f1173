package bad

import "os"

// Test files are not checked.
var _ = os.Getenv
