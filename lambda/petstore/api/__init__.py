"""Adapters that translate a transport's requests into service calls."""
