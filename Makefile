.PHONY: run upgrade test-bootstrap backup restore test lint pot odoo-suites bench

# Serve Odoo with every addon of the repository and its demo data at http://localhost:8069.
run:
	@tools/run.sh

# Upgrade database DB to this code (stop its Odoo first): back it up, update
# the changed addons, install the repository's new ones. make run does it too.
upgrade:
	@tools/upgrade.sh

# Back up database DB (default lco) and its filestore into backups/ (one .tar).
backup:
	@tools/backup.sh

# Restore a backup into a new database: make restore FILE=backups/....tar [DB=name]
restore:
	@tools/restore.sh

# Every test: Odoo tests, then the pytest suite (ends with its summary line).
test:
	@tools/test.sh

# Odoo set up from its source by tools/bootstrap.sh, as make run and make test
# do where python3 cannot import it, then the addon installed with it (minutes).
test-bootstrap:
	@tools/test.sh bootstrap

# Lint only (also part of make test): the hooks of .pre-commit-config.yaml
# (ruff, pylint-odoo, oca-checks-odoo-module, oca-checks-po, the README.rst of
# each addon from its readme/ fragments, ...), offline, from requirements-test.txt.
lint:
	pre-commit run --all-files --show-diff-on-failure

# Regenerate each addon's .pot (lco_module/i18n/lco_module.pot, ...) and merge it into its .po files.
pot:
	@tools/pot.sh

# Odoo's own suites of the modules the addon extends, without and with the addon:
# fails on a test that fails only with it. Slow, not part of make test.
# SUITES="calendar portal" limits the modules.
odoo-suites:
	@tools/odoo_suites.sh $(SUITES)

# Benchmark at 20,000 and 100,000 cases against project.task (CASES=2000 for a
# quick run): a throwaway cluster, a load with SQL checked against the ORM, HTTP
# measures on 2 workers, a Markdown table in bench/RESULT.md and README.md.
# Not part of make test (an hour or more on 2 shared cores).
bench:
	@tools/bench.sh
