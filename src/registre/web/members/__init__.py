"""Elected members, their mandates, and their import from CSV."""
