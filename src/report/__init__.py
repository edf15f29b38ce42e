"""Stakeholder reports: HTML sections built in the report notebook, rendered without code."""
