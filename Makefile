# The two front doors: `make run` and `make test`. Both work on a fresh clone.
# Python 3.11 (Django 5.2 LTS); a newer python3 is used only if 3.11 is not installed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

.PHONY: install run test lint messages lock clean

$(VENV)/.installed: requirements.lock
	# A venv made without pip (Debian without python3-venv) is made again, not reused.
	test -x $(VENV)/bin/pip || $(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

run: install
	mkdir -p var
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run --no-input
	# One worker per CPU (pytest-xdist); each has its own test database and Redis database.
	# Plain "load" distribution keeps the collection order, in which the tests that flush the
	# database (conftest.pytest_collection_modifyitems) come last on every worker.
	$(PY) -m pytest -n auto

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Update translations after changing user-facing strings (needs GNU gettext).
messages: install
	cd src/zhongcai && $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l zh_Hans \
		--no-obsolete --ignore 'tests/*' --ignore '*/tests/*' --add-location file
	cd src/zhongcai && $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages

# Re-resolve the pinned dependencies after editing pyproject.toml (needs uv).
lock:
	uv pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 \
		--no-emit-index-url --custom-compile-command "make lock" -o requirements.lock

clean:
	rm -rf $(VENV) node_modules var
