"""Two suites, one pytest configuration.

- ``pytest`` runs the plain tests of ``tests/`` (no Odoo needed);
- ``pytest --odoo-database=DB [--odoo-addons-path=...] activcrea_odoo/tests``
  runs the addon's Odoo tests through pytest-odoo, against a database where
  ``activcrea_odoo`` is installed (add ``--odoo-http`` for the browser tour).

pytest-odoo's session fixtures open an Odoo registry for every test they see:
without an Odoo option they must stay out of the plain tests, so the plugin is
unregistered here, which drops its hooks; its fixtures, already recorded by
pytest, are replaced for the plain tests in ``tests/conftest.py``.  The plain
tests also run where pytest-odoo is absent.
"""

ODOO_OPTIONS = ("--odoo-database", "--odoo-config")


def pytest_configure(config):
    plugin = config.pluginmanager.get_plugin("odoo")
    if plugin is None:
        return
    if any(config.getoption(option, None) for option in ODOO_OPTIONS):
        return
    config.pluginmanager.unregister(plugin)
