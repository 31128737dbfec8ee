#!/usr/bin/env bash
# Poolplay's one entry point.
#   ./build.sh setup   install what the build and tests need (idempotent, fast when done)
#   ./build.sh build   build the threaded wasm into pkg/
#   ./build.sh serve   setup + build, then serve the playground on 127.0.0.1 (PORT, default 8080)
#   ./build.sh test    setup, then every check and test suite (what CI runs)
#   ./build.sh bench   setup + build, then the benchmarks; writes BENCHMARKS.md
set -euo pipefail
cd "$(dirname "$0")"

WASM_TARGET=wasm32-unknown-unknown
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The wasm-bindgen version the crate resolved to; the CLI must be exactly this.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

apt_updated=false
apt_install() {
  if ! $apt_updated; then as_root apt-get update -qq; apt_updated=true; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

setup() {
  if ! command -v rustup >/dev/null; then
    echo "rustup is needed: install it from https://rustup.rs, then run this again." >&2
    exit 1
  fi
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
  local have
  have=$(rustup component list --toolchain nightly --installed)
  for component in rust-src clippy rustfmt; do
    grep -q "^$component" <<<"$have" || rustup component add "$component" --toolchain nightly
  done
  rustup target list --toolchain nightly --installed | grep -qx "$WASM_TARGET" ||
    rustup target add "$WASM_TARGET" --toolchain nightly

  local version
  version=$(wasm_bindgen_version)
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
    say "installing wasm-bindgen-cli $version (several minutes, once)"
    # Outside the repo, so its nightly toolchain and build-std settings do not apply.
    (cd / && cargo install --force wasm-bindgen-cli --version "$version")
  fi
  if ! command -v wasm-pack >/dev/null; then
    say "installing wasm-pack (a few minutes, once)"
    (cd / && cargo install wasm-pack --locked)
  fi
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dev packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

build() {
  say "building the threaded wasm module"
  cargo build --release --target "$WASM_TARGET"
  rm -rf pkg
  wasm-bindgen --target web --no-typescript --out-dir pkg \
    "target/$WASM_TARGET/release/poolplay.wasm"
  # wasm-bindgen-rayon's worker helper passes the init function positional arguments, which this
  # wasm-bindgen answers with a deprecation warning in every thread's console: pass one object.
  sed -i 's/pkg\.default(data\.module, data\.memory)/pkg.default({ module_or_path: data.module, memory: data.memory })/' \
    pkg/snippets/wasm-bindgen-rayon-*/src/workerHelpers*.js
  # binaryen from npm: Debian's older wasm-opt breaks threaded modules.
  wasm-opt -O3 --enable-threads --enable-bulk-memory --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-sign-ext \
    pkg/poolplay_bg.wasm -o pkg/poolplay_bg.wasm
  say "pkg/ is ready ($(du -k pkg/poolplay_bg.wasm | cut -f1) KiB of wasm)"
  say "recording a real threaded run of every preset into www/recordings/ (for embeds without threads)"
  node tools/record.mjs
}

run_tests() {
  say "format and lints"
  cargo fmt --check
  cargo clippy --all-targets -- -D warnings
  cargo clippy --lib --tests --target "$WASM_TARGET" -- -D warnings
  say "native tests"
  cargo test
  say "threaded wasm tests in headless Chromium (a dedicated worker)"
  WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-240} wasm-pack test --headless --chrome
  build
  say "end-to-end tests against the served page"
  node --test --test-concurrency=1 tests/e2e/
}

case "${1:-}" in
  setup) setup ;;
  build) setup && build ;;
  serve) setup && build && exec node tools/serve.mjs --port "${PORT:-8080}" ;;
  test) setup && run_tests ;;
  bench) setup && build && node tools/bench.mjs ;;
  *)
    sed -n '2,7p' "$0" | sed 's/^# //'
    exit 2
    ;;
esac
