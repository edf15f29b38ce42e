"""The batch: run the notebooks for each requested year with papermill, then render."""
