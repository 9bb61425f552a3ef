"""Pure analyses of a plan: models and DataFrames in, DataFrames and results out; no I/O, no drawing."""
