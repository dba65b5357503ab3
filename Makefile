.PHONY: run test lint pot

# Serve Odoo with lco_module and its demo data at http://localhost:8069.
run:
	@tools/run.sh

# Every test: Odoo tests, then the pytest suite (ends with its summary line).
test:
	@tools/test.sh

# Lint only (also part of make test).
lint:
	ruff check . && ruff format --check .
	python3 -m pylint --rcfile=.pylintrc lco_module

# Regenerate lco_module/i18n/lco_module.pot and merge it into the .po files.
pot:
	@tools/pot.sh
