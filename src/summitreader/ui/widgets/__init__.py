"""Reusable widgets of the reader."""
