"""Collectivities, assemblies, roles, the audit log and the tenancy guard."""
