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

# A PyPI package in a venv of its own under .local/<package> (installed once, reused);
# prints the venv's path.
pypi_venv() {
  local package=$1 version=$2
  local venv="$root/.local/$package/venv"
  if [ ! -f "$venv/.installed-$version" ]; then
    say "installing $package $version into $venv"
    rm -rf "$venv"
    mkdir -p "$root/.local/$package"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "$package==$version" >&2 || die "pip install $package==$version failed"
    touch "$venv/.installed-$version"
  fi
  echo "$venv"
}

# honcho, the foreman-style runner the Procfile tests use; prints its command.
ensure_honcho() { local venv; venv=$(pypi_venv honcho 2.0.0) || exit 1; echo "$venv/bin/honcho"; }

# Playwright, which drives Debian's Chromium in the web chat's browser tests (it
# downloads no browser); prints its python.
ensure_playwright() { local venv; venv=$(pypi_venv playwright 1.65.2) || exit 1; echo "$venv/bin/python"; }

# How release binaries are built: the Swift runtime and Foundation linked in, only the
# parts used, so each process maps ~7 MB less of them (docs/benchmarks.md, RSS).
release_build=(-c release --static-swift-stdlib)

ensure_swift() {
  command -v swift >/dev/null || die "swift is not on PATH (Swift 6.x toolchain required; /opt/swift/usr/bin here)"
}
