# Shared helpers for scripts/*. Sourced, not run.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Debian packages the build, the tests and a local run need.
required_packages=(
  libhiredis-dev libpq-dev libcurl4-openssl-dev zlib1g-dev pkg-config
  redis-server postgresql postgresql-contrib python3 python3-venv systemd prometheus
  faketime
  # The web chat's browser test: a headless Chromium, and colour emoji in its screenshots.
  chromium fonts-noto-color-emoji
)

# Installs whatever of the required packages is missing (needs root, as on CI and here).
ensure_packages() {
  local missing=()
  for package in "${required_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# honcho (PyPI), the foreman-style runner the Procfile tests use, in a venv of its own
# (installed once, reused); prints the path of its command.
honcho_version=2.0.0
ensure_honcho() {
  local venv="$root/.local/honcho/venv"
  if [ ! -f "$venv/.installed-$honcho_version" ]; then
    say "installing honcho $honcho_version into $venv"
    rm -rf "$venv"
    mkdir -p "$root/.local/honcho"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "honcho==$honcho_version" >&2 || die "pip install honcho==$honcho_version failed"
    touch "$venv/.installed-$honcho_version"
  fi
  echo "$venv/bin/honcho"
}

# Playwright (PyPI), which drives Debian's Chromium in the web chat's browser test, in a
# venv of its own (installed once, reused; it downloads no browser); prints its python.
playwright_version=1.65.2
ensure_playwright() {
  local venv="$root/.local/playwright/venv"
  if [ ! -f "$venv/.installed-$playwright_version" ]; then
    say "installing playwright $playwright_version into $venv"
    rm -rf "$venv"
    mkdir -p "$root/.local/playwright"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "playwright==$playwright_version" >&2 || die "pip install playwright==$playwright_version failed"
    touch "$venv/.installed-$playwright_version"
  fi
  echo "$venv/bin/python"
}

# How release binaries are built: the Swift runtime and Foundation linked in, only the
# parts used, so each process maps ~7 MB less of them (docs/benchmarks.md, RSS).
release_build=(-c release --static-swift-stdlib)

ensure_swift() {
  command -v swift >/dev/null || die "swift is not on PATH (Swift 6.x toolchain required; /opt/swift/usr/bin here)"
}
