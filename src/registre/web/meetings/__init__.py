"""Meetings, agendas, drafts and their validation, convocations."""
