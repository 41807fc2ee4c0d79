"""The bottom layer: settings, the paths around a warehouse, typed errors and atomic writes.

Every other package may import this one; it imports none of them (import-linter enforces it).
"""
