package scenarios_test

import (
	"testing"

	"github.com/circular-partners/junkan/internal/testutil"
)

// TestMain keeps the solver's result cache of the tests' consolidations
// to the tests.
func TestMain(m *testing.M) { testutil.MainWithOwnCache(m) }
