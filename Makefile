# Grantbench: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails open on the service that sent them (config/settings.py); set it to override.
GRANTBENCH_BASE_URL ?= http://$(HOST):$(PORT)
# `make test` spreads the suite over pytest-xdist workers, one per core (2 on CI's machine).
# --dist loadgroup hands out tests one at a time, in collection order, to whichever worker is free,
# so each worker still runs pytest-django's order (database tests, then transactional ones, whose
# flush empties the councils the migrations load); --dist load sent them in chunks of up to a
# quarter of what was left, and the browser journeys went to one worker together while the other
# ran out of work; --dist loadfile would send a file's transactional tests mid-run and fail every
# later test that needs the councils. The groups are the modules that share a module-scoped seed
# (tests/conftest.py), each run whole on one worker so it is seeded once. PYTEST_ARGS comes after,
# so it adds to or overrides this: `make test PYTEST_ARGS="-n 0"` runs in one process,
# `PYTEST_XDIST=` drops it.
PYTEST_XDIST ?= -n auto --dist loadgroup
PYTEST_ARGS ?=
# requirements.txt and requirements-dev.txt are the lists people edit; requirements.lock and
# requirements-dev.lock pin every package they pull in, with hashes, and are what gets installed.
UV_VERSION ?= 0.13.8
LOCK_ARGS ?=
LOCK := $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_ARGS)

.PHONY: run test install lint lock css bench loadtest loadtest-smoke loadtest-ha nginx haproxy chromium pango system-packages clean

$(VENV)/.installed: requirements.lock requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@touch $@

# After editing requirements.txt or requirements-dev.txt: resolve again (PyPI only), keeping the
# versions already locked where they still fit. `make lock LOCK_ARGS=--upgrade` moves everything
# to the newest versions allowed. The dev lock is constrained by the runtime lock, so both agree.
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(LOCK) requirements.txt -o requirements.lock
	$(LOCK) requirements-dev.txt --constraint requirements.lock -o requirements-dev.lock

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# GOV.UK Frontend compiled from Sass with the service's own settings (Arial, no GDS Transport, no
# crown: static/scss/govuk-frontend.scss), and its JavaScript beside it, in static/govuk/ (not in
# git: built here, a few seconds). Whitenoise serves static/; nothing is served from node_modules.
FRONTEND := static/govuk/govuk-frontend.min.css
$(FRONTEND): node_modules/.installed $(wildcard static/scss/*.scss)
	@mkdir -p static/govuk
	node_modules/.bin/sass --style=compressed --no-source-map --pkg-importer=node --quiet-deps \
		static/scss/govuk-frontend.scss $@
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
		node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map static/govuk/

css: $(FRONTEND)

install: $(VENV)/.installed node_modules/.installed $(FRONTEND)

# Debian packages: Chromium drives the browser tests (Playwright never downloads a browser);
# Pango is what weasyprint needs to write PDFs (offer letters, board reports).
pango:
	@$(MAKE) --no-print-directory system-packages BROWSER=no

chromium:
	@$(MAKE) --no-print-directory system-packages BROWSER=yes

system-packages:
	@missing=""; \
	[ "$(BROWSER)" = "no" ] || [ -x /usr/bin/chromium ] || missing="chromium"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

run: install pango
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	GRANTBENCH_BASE_URL=$(GRANTBENCH_BASE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

test: install chromium lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

# `make bench BENCH_ARGS=--smoke` (CI): every page and operation at a tiny size, one timed run each,
# into a temporary file, never bench/results.json; exits 1 if anything is missing. BENCH_ARGS passes
# any bench.run option, e.g. BENCH_ARGS="--only ranking" or "--scale-full 0.1".
BENCH_ARGS ?=
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

# nginx is the trusted edge in front of gunicorn in the load test: it stamps each request's arrival.
nginx:
	@[ -x /usr/sbin/nginx ] || { echo "Installing Debian's nginx-light"; \
		if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q nginx-light; }

# The full deadline (317 officers, 30 panel members, 5 managers; bench/loadtest.json). Sizes and
# timing: LOADTEST_USERS, LOADTEST_PANEL, LOADTEST_MANAGERS, LOADTEST_CLOSE_AFTER, LOADTEST_RUN_TIME.
loadtest: install nginx
	$(PY) -m bench.loadtest

# CI's size (20 / 3 / 1, the deadline 45 s in, 65 s of load): the same promises checked, the
# figures written to a temporary file (LOADTEST_OUT to choose), non-zero on any broken promise.
loadtest-smoke: install nginx
	LOADTEST_SMOKE=1 $(PY) -m bench.loadtest
# HAProxy is the load balancer (and the trusted edge) in front of two app servers in loadtest-ha.
haproxy:
	@[ -x /usr/sbin/haproxy ] || { echo "Installing Debian's haproxy"; \
		if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q haproxy; }

# Two app servers behind HAProxy, one killed 30 s before the deadline, a Celery worker killed
# mid-send (bench/loadtest_ha.py). LOADTEST_HA_SMOKE=1 for CI's size (loadtest-smoke's people and
# deadline, the server killed 10 s before it), written to a temporary file unless LOADTEST_OUT says.
loadtest-ha: install haproxy
	$(PY) -m bench.loadtest_ha

clean:
	rm -rf $(VENV) node_modules static/govuk staticfiles db.sqlite3
