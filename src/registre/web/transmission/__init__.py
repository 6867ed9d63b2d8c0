"""Transmission to the prefecture (@CTES) from the application: each collectivity's
operator settings and classification, and each registered item's transmission."""
