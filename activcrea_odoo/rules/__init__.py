"""Business rules of Activ'Créa in plain Python.

Nothing in this package imports Odoo: models call these functions with plain
values (strings, dates, dicts, tuples) and turn the answers into writes.
"""
