"""Comparing two versions of a spec: structured changes, a table of rules, formatters and the CLI command."""
