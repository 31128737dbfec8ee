#!/usr/bin/env bash
# Poolplay's one entry point.
#   ./build.sh setup   install what the build and tests need (idempotent, fast when done)
#   ./build.sh build   build the threaded wasm modules into pkg/ (core, and core + images)
#   ./build.sh serve   setup + build, then serve the playground on 127.0.0.1 (PORT, default 8080)
#   ./build.sh dist    setup + build, then write dist/: the whole site, ready for any static host
#   ./build.sh test    setup, then every check and test suite (what CI runs)
#   ./build.sh bench   setup + build + dist, then the benchmarks; writes BENCHMARKS.md
set -euo pipefail
cd "$(dirname "$0")"

WASM_TARGET=wasm32-unknown-unknown
GECKODRIVER_VERSION=0.37.1
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
  if ! command -v firefox-esr >/dev/null; then
    say "installing Debian's firefox-esr"
    apt_install firefox-esr
  fi
  if [ "$(geckodriver --version 2>/dev/null | head -1 | cut -d' ' -f2)" != "$GECKODRIVER_VERSION" ]; then
    say "installing geckodriver $GECKODRIVER_VERSION (a few minutes, once)"
    (cd / && cargo install --force geckodriver --version "$GECKODRIVER_VERSION" --locked)
  fi
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dev packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Builds the crate for wasm with the given cargo feature flags and binds it as pkg/<name>.js.
build_module() {
  local name=$1
  shift
  cargo build --release --target "$WASM_TARGET" "$@"
  wasm-bindgen --target web --no-typescript --out-dir pkg --out-name "$name" \
    "target/$WASM_TARGET/release/poolplay.wasm"
  # wasm-bindgen-rayon's worker helper passes the init function positional arguments, which this
  # wasm-bindgen answers with a deprecation warning in every thread's console: pass one object.
  sed -i 's/pkg\.default(data\.module, data\.memory)/pkg.default({ module_or_path: data.module, memory: data.memory })/' \
    pkg/snippets/wasm-bindgen-rayon-*/src/workerHelpers*.js
  # binaryen from npm: Debian's older wasm-opt breaks threaded modules.
  wasm-opt -O3 --enable-threads --enable-bulk-memory --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-sign-ext \
    "pkg/${name}_bg.wasm" -o "pkg/${name}_bg.wasm"
  say "pkg/${name}_bg.wasm: $(($(wc -c <"pkg/${name}_bg.wasm") / 1024)) KiB, $(($(gzip -9c "pkg/${name}_bg.wasm" | wc -c) / 1024)) KiB gzipped"
}

build() {
  rm -rf pkg
  say "building the core module (the first load: no image codecs, optimised for size)"
  # opt-level "s" keeps the first load under its 150 KB gzipped budget (tests/e2e/dist.test.mjs);
  # the image module, which has room, stays at the profile's opt-level 3.
  build_module poolplay --no-default-features --config 'profile.release.opt-level="s"'
  say "building the image module (the core plus the image and pipeline examples, loaded when one is opened)"
  build_module poolplay_imaging --features imaging,pipeline
  say "recording a real threaded run of every preset into www/recordings/ (for embeds without threads)"
  node tools/record.mjs
}

# The site as a static host serves it: pages, scripts, styles, recordings, and pkg/'s modules.
dist() {
  say "writing dist/"
  rm -rf dist
  mkdir -p dist/pkg
  cp -R www/. dist/
  cp pkg/*.js pkg/*.wasm dist/pkg/
  cp -R pkg/snippets dist/pkg/
  node tools/dist.mjs dist
  say "dist/ is ready: upload it as it is (README, \"Publish it\")"
}

run_tests() {
  say "format and lints"
  cargo fmt --check
  cargo clippy --all-targets -- -D warnings
  cargo clippy --lib --tests --target "$WASM_TARGET" -- -D warnings
  cargo clippy --no-default-features --all-targets -- -D warnings
  cargo clippy --no-default-features --lib --tests --target "$WASM_TARGET" -- -D warnings
  say "native tests (with the image example, and the core alone)"
  cargo test
  cargo test --no-default-features
  # The suite's limit is only a guard against a hang in the harness: each test cancels a run that
  # stops making progress itself (tests/web.rs). Release builds, so work takes its real time.
  local suite_limit=${WASM_BINDGEN_TEST_TIMEOUT:-1800}
  say "threaded wasm tests in headless Chromium (a dedicated worker)"
  WASM_BINDGEN_TEST_TIMEOUT=$suite_limit wasm-pack test --release --headless --chrome
  say "threaded wasm tests in headless Firefox"
  WASM_BINDGEN_TEST_TIMEOUT=$suite_limit wasm-pack test --release --headless --firefox
  build
  dist
  say "end-to-end tests against the served page and dist/ (Chromium; tests/e2e/firefox.test.mjs drives Firefox)"
  node --test --test-concurrency=1 tests/e2e/
}

case "${1:-}" in
  setup) setup ;;
  build) setup && build ;;
  serve) setup && build && exec node tools/serve.mjs --port "${PORT:-8080}" ;;
  dist) setup && build && dist ;;
  test) setup && run_tests ;;
  bench) setup && build && dist && node tools/bench.mjs ;;
  *)
    sed -n '2,8p' "$0" | sed 's/^# //'
    exit 2
    ;;
esac
