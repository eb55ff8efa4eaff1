# kaohe: `make run` sets everything up on a fresh machine and serves the demo township;
# `make test` runs the whole suite. Both are safe to run again.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test bench lint format install messages clean-db

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

messages: install
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv -v0

run: install messages
	mkdir -p var
	DEBUG=true $(PY) manage.py migrate --noinput -v0
	DEBUG=true $(PY) manage.py load_demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# Two workers (pytest-xdist), one per core: each has its own test database (and, in the fault
# suite, its own Redis server and celery workers). TEST_WORKERS=0 runs in one process.
# worksteal: a worker that runs out of tests takes the other's, so both stay busy until the
# long tail (browser, faults, axe) is done. Any order is safe: tests/conftest.py puts the
# migrations' rows back right after each transactional test's flush.
TEST_WORKERS ?= 2
test: install messages
	$(PY) -m pytest --ds=config.settings_test -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The benchmark runs on PostgreSQL (its own database, recreated each time); the district rows
# start celery workers on a Redis database number of the bench's own.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kaohe_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/11
# Production settings (DEBUG off: no query log), so the figures are the ones a township gets.
BENCH_ENV = DEBUG=false SECRET_KEY=bench-only-secret SECURE_SSL_REDIRECT=false \
	DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL)
bench: install
	$(PY) -m sampledata.benchdb $(BENCH_DATABASE_URL)
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v0
	$(BENCH_ENV) $(PY) manage.py bench $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
