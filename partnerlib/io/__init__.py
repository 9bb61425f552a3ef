"""Everything that reads or writes outside the process: the workspace store, plan files, spreadsheets, the sample."""
