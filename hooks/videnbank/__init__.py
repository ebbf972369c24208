"""Videnbank for samskabelse: the domain core. It imports nothing from MkDocs."""
