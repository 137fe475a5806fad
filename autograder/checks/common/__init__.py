"""Inputs and comparisons shared by checks (importable: check folders start with digits)."""
