"""The weekly progress report: figures from the store, scored against the rubrics, rendered with Jinja."""
