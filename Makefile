# Thin wrappers around scripts/dev.py, which needs nothing but Python 3.11+.
PYTHON ?= python3

.PHONY: demo test bench setup lint
demo:
	$(PYTHON) scripts/dev.py demo
test:
	$(PYTHON) scripts/dev.py test
bench:
	$(PYTHON) scripts/dev.py bench
setup:
	$(PYTHON) scripts/dev.py setup
lint:
	.venv/bin/ruff check graphkit tests benchmarks scripts
