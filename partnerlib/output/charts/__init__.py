"""Charts: functions that take an analysis' results and return a matplotlib Figure."""
