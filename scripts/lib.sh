# Shared helpers for scripts/*. Sourced, not run.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Debian packages the build, the tests and a local run need.
required_packages=(
  libhiredis-dev libpq-dev libcurl4-openssl-dev zlib1g-dev pkg-config
  redis-server postgresql postgresql-contrib python3 systemd prometheus
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

ensure_swift() {
  command -v swift >/dev/null || die "swift is not on PATH (Swift 6.x toolchain required; /opt/swift/usr/bin here)"
}
