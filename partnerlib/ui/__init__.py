"""The notebooks' interactive parts: widgets, forms generated from the models, live results, the plan chooser."""
