"""Registers the shared fixtures of ``support.fixtures`` for every test."""

pytest_plugins = ["support.fixtures"]
