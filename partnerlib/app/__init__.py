"""Programs: the command line, presenting with Voila, running the series."""
