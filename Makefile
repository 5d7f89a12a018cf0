# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck package clean bench check-wheel bench-validate

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/agent-canvas agents

test: $(STAMP) typecheck check-wheel
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check app tests benchmarks

# The wheel as a user gets it: built (sdist, then the wheel from it), twine-checked, installed into
# a fresh venv outside the checkout and run (--version, validate, --screenshot). About a minute,
# most of it pip installing PySide6 from its cache. See packaging/check-wheel.sh.
check-wheel: $(STAMP)
	PYTHON=$(abspath $(BIN)/python) bash packaging/check-wheel.sh

# mypy on app/ (the files and settings are in pyproject.toml's [tool.mypy]) as it would run on each
# platform the installers are built for; one cache per platform, as a platform change empties it.
typecheck: $(STAMP)
	for platform in linux win32 darwin; do \
		$(BIN)/mypy --platform $$platform --cache-dir .mypy_cache/$$platform || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check app tests benchmarks

# The installer for this machine (.deb on Linux, .dmg on macOS; on Windows run
# `bash packaging/build.sh` from Git Bash with Inno Setup's iscc on PATH). See packaging/build.sh.
package: $(STAMP) $(VENV)/.installed-package
	bash packaging/build.sh

$(VENV)/.installed-package: pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[package]'
	touch $@

bench: $(STAMP)
	$(BIN)/python benchmarks/load.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/canvas.py

# validate of a 200-agent team in each output format, interpreter start included (pre-commit runs
# it on every commit), against a bare PyYAML parse of the same files.
bench-validate: $(STAMP)
	$(BIN)/python benchmarks/validate_formats.py

clean:
	rm -rf $(VENV) build dist *.egg-info packaging/out
