"""The bottom layer: problems (codes and context) and their one renderer, and where files live."""
