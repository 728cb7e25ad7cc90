package cli

import (
	"testing"

	"github.com/circular-partners/junkan/internal/testutil"
)

// TestMain keeps the solver's result cache of the tests' consolidations
// (and of the binaries they build and run) to the tests.
func TestMain(m *testing.M) { testutil.MainWithOwnCache(m) }
