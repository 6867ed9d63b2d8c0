"""registre's web application (Django): the clerk's back office.

Django models hold the workflow state; every write goes through a `services`
module taking the acting user and a clock, and leaves an audit entry.
"""
