# ProfileLens: build a binary that runs without the Swift toolchain, and install it.
#
#   make                                  # = make build
#   make install PREFIX=~/.local          # builds if needed, installs ~/.local/bin/profilelens
#   sudo make install                     # PREFIX defaults to /usr/local
#   make uninstall PREFIX=~/.local
#
# On Linux the Swift runtime and Foundation are linked in statically (--static-swift-stdlib): the
# binary needs only libc, libm, libz, libstdc++ and libgcc_s, which every distribution has. macOS
# ships the Swift runtime itself, so there the flag is left out.

PREFIX ?= /usr/local
# zsh passes PREFIX=~/.local on with the ~ unexpanded
override PREFIX := $(patsubst ~%,$(HOME)%,$(PREFIX))
BINDIR ?= $(PREFIX)/bin
SWIFT ?= swift
INSTALL ?= install

ifeq ($(shell uname -s),Darwin)
STATIC :=
else
STATIC := --static-swift-stdlib
endif

BUILD_FLAGS = -c release $(STATIC) --product profilelens
BIN := .build/release/profilelens
SOURCES := Package.swift $(shell find Sources -name '*.swift' 2>/dev/null)

.PHONY: all build install uninstall clean

all: build

# Always asks SwiftPM, which rebuilds only what changed.
build:
	$(SWIFT) build $(BUILD_FLAGS)

# `make install` alone builds first; after `make`, `sudo make install` only copies (root's PATH
# need not have swift).
$(BIN): $(SOURCES)
	$(SWIFT) build $(BUILD_FLAGS)

install: $(BIN)
	@if [ -n "$(STATIC)" ] && ldd $(BIN) 2>/dev/null | grep -q libswiftCore; then \
	  echo "$(BIN) needs the Swift runtime (it was built without --static-swift-stdlib): run make build first" >&2; \
	  exit 1; \
	fi
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)"
	$(INSTALL) -m 755 $(BIN) "$(DESTDIR)$(BINDIR)/profilelens"
	@case ":$$PATH:" in *":$(BINDIR):"*) ;; *) echo "note: $(BINDIR) is not on your PATH; editors find profilelens through PATH";; esac

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/profilelens"

clean:
	$(SWIFT) package clean
