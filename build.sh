#!/usr/bin/env bash
# parmine's one entry point: set up a fresh machine, build, serve, test.
#
#   ./build.sh            set up, build the page and serve it (the main job)
#   ./build.sh test       set up, then run every test: native (the GPU
#                         miner on Mesa's software Vulkan where there is no
#                         GPU), wasm in headless Chromium and Firefox ESR
#                         (threaded and single-threaded builds), and the page
#                         end to end in Chromium (WebGPU on SwiftShader) and
#                         Firefox ESR (what CI runs); prints each phase's time
#   ./build.sh setup      install the pinned toolchain, tools and npm packages
#   ./build.sh build      build the wasm packages and the page into www/
#   ./build.sh serve      build, then serve www/ (PORT=8000 by default)
#   ./build.sh bench      the command line's benchmarks (extra flags pass on)
#   ./build.sh report     every performance target as a ratio, native and
#                         browser (drives the page in headless Chromium)
#
# Everything comes from the package registries (rustup, crates.io, Debian
# apt, npm); nothing is downloaded from anywhere else.
#
# Compiles are kept outside the clone: ./target is a link to one cargo target
# directory per toolchain in the user's cache directory,
# ${XDG_CACHE_HOME:-~/.cache}/parmine/target/<toolchain> (PARMINE_TARGET_DIR
# to choose another), so a fresh clone on a machine that built parmine before
# reuses every compiled dependency and the rebuilt standard libraries. A
# ./target that is a directory of its own is left alone, and CARGO_TARGET_DIR,
# when set, wins over both.
set -euo pipefail
cd "$(dirname "$0")"

# The browser build lives in web/ (its .cargo/config.toml: wasm32, threads,
# std rebuilt with atomics) and is built and tested with wasm-pack, the way
# users of a wasm-bindgen crate do. Flags of the single-threaded build: no
# atomics, no shared memory, no SIMD; they replace the threaded flags of
# web/.cargo/config.toml (RUSTFLAGS wins). Both builds share one target
# directory: cargo names a crate's files after its flags, so the two sets
# (standard library included) sit side by side without rebuilding each other,
# and the host's build scripts and proc macros, which RUSTFLAGS do not reach
# when cross-compiling, are compiled once for both.
SINGLE_RUSTFLAGS="-C target-feature=+bulk-memory,+mutable-globals"
TOOLCHAIN=$(awk -F'"' '/^channel/ { print $2 }' rust-toolchain.toml)
PARMINE_TARGET_DIR=${PARMINE_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parmine/target/$TOOLCHAIN}
TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
PARMINE=$TARGET_DIR/release/parmine
WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-600}
# Every kernel this machine's CPU reports must be exercised by the tests: the
# list is derived from /proc/cpuinfo, so a CI machine with AVX-512 fails if
# the AVX-512 kernels were not run there, and one with SHA-NI likewise.
cpu_kernels() {
    local flags
    flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
    local out=()
    case $flags in *" sse4_1 "*) case $flags in *" ssse3 "*) out+=(sse4.1) ;; esac ;; esac
    case $flags in *" avx2 "*) out+=(avx2) ;; esac
    case $flags in *" avx512f "*) out+=(avx512) ;; esac
    case $flags in *" sha_ni "*) case " ${out[*]} " in *" sse4.1 "*) out+=(sha-ni) ;; esac ;; esac
    local IFS=,
    echo "${out[*]}"
}
export PARMINE_REQUIRE_KERNELS=${PARMINE_REQUIRE_KERNELS:-$(cpu_kernels)}

log() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Each phase's wall-clock time, printed when the script ends (a failed phase
# too, marked so): where a run's minutes go, against CI's 90-minute limit.
PHASES=()
PHASE_NAME=
PHASE_START=0
RUN_START=$SECONDS
minutes() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
phase() {
    PHASE_NAME=$1
    PHASE_START=$SECONDS
    shift
    "$@"
    PHASES+=("$(printf '%-52s %s' "$PHASE_NAME" "$(minutes $((SECONDS - PHASE_START)))")")
    echo "-- $PHASE_NAME: $(minutes $((SECONDS - PHASE_START)))"
    PHASE_NAME=
}
print_phases() {
    if [ -n "$PHASE_NAME" ]; then
        PHASES+=("$(printf '%-52s %s' "$PHASE_NAME (failed)" "$(minutes $((SECONDS - PHASE_START)))")")
    fi
    [ ${#PHASES[@]} -gt 0 ] || return 0
    log "time per phase"
    printf '%s\n' "${PHASES[@]}"
    printf '%-52s %s\n' "total" "$(minutes $((SECONDS - RUN_START)))"
}
trap print_phases EXIT

# ./target -> the cache directory's target directory for this toolchain (see
# the top of this file). cargo locks a target directory while it builds, so
# clones sharing one take turns; a clone rebuilds only parmine's own crates.
setup_target_dir() {
    if [ -n "${CARGO_TARGET_DIR:-}" ]; then
        echo "cargo target directory: $CARGO_TARGET_DIR (CARGO_TARGET_DIR)"
    elif [ -d target ] && [ ! -L target ]; then
        echo "cargo target directory: ./target, this clone's own (remove it to share $PARMINE_TARGET_DIR)"
    else
        mkdir -p "$PARMINE_TARGET_DIR"
        ln -sfn "$PARMINE_TARGET_DIR" target
        echo "cargo target directory: ./target -> $PARMINE_TARGET_DIR"
    fi
}

setup_rust() {
    log "Rust toolchain from rust-toolchain.toml"
    setup_target_dir
    rustup toolchain install
    rustc --version
}

# wasm-bindgen's command line must be exactly the version in Cargo.lock.
setup_wasm_bindgen() {
    local want have
    want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)
    have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
    if [ "$have" != "$want" ]; then
        log "wasm-bindgen-cli $want (from crates.io)"
        cargo install wasm-bindgen-cli --version "$want" --force
    fi
    wasm-bindgen --version
}

# wasm-pack from crates.io (it would otherwise download nothing: wasm-opt is
# off in web/Cargo.toml, and wasm-bindgen and chromedriver are on the PATH).
setup_wasm_pack() {
    local have
    have=$(wasm-pack --version 2>/dev/null | awk '{ print $2 }' || true)
    if [ "$have" != "$WASM_PACK_VERSION" ]; then
        log "wasm-pack $WASM_PACK_VERSION (from crates.io)"
        cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked --force
    fi
    wasm-pack --version
}

# geckodriver from crates.io, for wasm-pack test in Firefox (wasm-pack would
# otherwise download it from GitHub); wasm-bindgen-test-runner reads
# GECKODRIVER.
setup_geckodriver() {
    local have
    have=$(geckodriver --version 2>/dev/null | awk 'NR == 1 { print $2 }' || true)
    if [ "$have" != "$GECKODRIVER_VERSION" ]; then
        log "geckodriver $GECKODRIVER_VERSION (from crates.io)"
        cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --force
    fi
    GECKODRIVER=${GECKODRIVER:-$(command -v geckodriver)}
    export GECKODRIVER
    geckodriver --version | sed -n 1p
}

setup_chromium() {
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
        log "Chromium and ChromeDriver (Debian packages)"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
    fi
    chromium --version
}

# Firefox ESR for the page's tests in a second engine (WebDriver BiDi,
# through puppeteer-core): Debian's package, as for Chromium.
setup_firefox() {
    if ! command -v firefox-esr >/dev/null; then
        log "Firefox ESR (Debian package)"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr
    fi
    firefox-esr --version
}

# WebKitGTK for the page's test in a third engine (its single-threaded
# fallback: this WebKitGTK gives isolated pages no SharedArrayBuffer): the
# WebDriver and MiniBrowser, and Xvfb, since MiniBrowser has no headless mode.
setup_webkit() {
    if ! command -v WebKitWebDriver >/dev/null || ! command -v xvfb-run >/dev/null; then
        log "WebKitGTK's WebDriver and Xvfb (Debian packages webkit2gtk-driver, xvfb)"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq webkit2gtk-driver xvfb
    fi
}

# Mesa's software Vulkan driver (lavapipe): the native GPU tests' adapter on
# a machine without a GPU. Debian's package.
setup_vulkan() {
    if [ ! -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ] && ! ls /usr/share/vulkan/icd.d/lvp_icd.*.json >/dev/null 2>&1; then
        log "Mesa's software Vulkan driver (Debian package mesa-vulkan-drivers)"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mesa-vulkan-drivers
    fi
}

setup_npm() {
    log "npm packages (package-lock.json)"
    npm ci --no-audit --no-fund
}

setup() {
    setup_rust
    setup_wasm_bindgen
    setup_wasm_pack
    setup_npm
}

# The threaded build: atomics, shared memory and SIMD (web/.cargo/config.toml).
build_threaded() {
    log "wasm: threaded build -> www/pkg (wasm-pack)"
    (cd web && wasm-pack build --release --target web --out-dir ../www/pkg --out-name parmine)
    # A threaded module must import a shared memory, or wasm-bindgen has
    # silently produced single-threaded glue.
    grep -q 'shared:true' www/pkg/parmine.js || { echo "www/pkg has no shared memory" >&2; exit 1; }
}

build_single() {
    log "wasm: single-threaded build -> www/pkg-single (wasm-pack)"
    (cd web && RUSTFLAGS="$SINGLE_RUSTFLAGS" wasm-pack build --release --target web --out-dir ../www/pkg-single --out-name parmine)
}

build_page() {
    build_threaded
    build_single
    log "page: chart library from node_modules -> www/lib"
    mkdir -p www/lib
    cp node_modules/chart.js/dist/chart.umd.min.js www/lib/
    log "native: the parmine command line"
    cargo build --release --locked
}

serve() {
    local port=${PORT:-8000}
    log "serving www/ on http://127.0.0.1:$port/"
    exec "$PARMINE" serve --port "$port" --dir www
}

test_setup() {
    setup
    setup_geckodriver
    setup_chromium
    setup_firefox
    setup_webkit
    setup_vulkan
}

lint() {
    log "cargo fmt --check"
    cargo fmt --all -- --check
    log "cargo clippy (native, and both wasm builds)"
    cargo clippy --all-targets --locked -- -D warnings
    (cd web && cargo clippy --locked -p parmine-web --all-targets -- -D warnings)
    (cd web && RUSTFLAGS="$SINGLE_RUSTFLAGS" cargo clippy --locked -p parmine-web --all-targets -- -D warnings)
}

native_tests() {
    log "cargo test (native; kernels this CPU must exercise: $PARMINE_REQUIRE_KERNELS)"
    cargo test --locked
}

# wasm-pack test in one headless browser (chrome or firefox) for one build
# (threaded, or single with its flags). The second browser of a build reuses
# the first one's compile.
wasm_test() {
    local browser=$1 build=$2
    log "wasm tests, $build build, headless $browser (wasm-pack test)"
    if [ "$build" = threaded ]; then
        (cd web && wasm-pack test --headless "--$browser" --release)
    else
        (cd web && RUSTFLAGS="$SINGLE_RUSTFLAGS" wasm-pack test --headless "--$browser" --release)
    fi
}

e2e_tests() {
    log "end-to-end tests of the page (Playwright driving Debian's Chromium; puppeteer-core driving Firefox ESR; WebDriver driving WebKitGTK)"
    mkdir -p artifacts
    node --test --test-concurrency=1 tests/e2e/
    echo "screenshots: $(ls artifacts/*.png 2>/dev/null | tr '\n' ' ')"
}

# The GPU machine's script, run here in its quick mode on this machine's
# adapter (lavapipe): every step must pass and write its figures
# (docs/performance.md, "On a GPU machine"). After build_page: it carries the
# release binary; the kernels test binary is cargo test's.
device_bench_check() {
    log "device bench script: prepare, a quick run on this adapter, check its output"
    scripts/device-bench.sh prepare
    # The bundle's Vulkan loader and jq, as on a machine that has neither.
    OUT= DEVICE_BENCH_BUNDLED_LOADER=1 DEVICE_BENCH_BUNDLED_JQ=1 \
        target/device/device-bench.sh run --quick --out artifacts/device-bench
    target/device/device-bench.sh check artifacts/device-bench
    target/device/device-bench.sh selftest artifacts/device-bench
}

bench() {
    cargo build --release --locked
    "$PARMINE" bench mine --encoding json "$@"
    "$PARMINE" bench mine --encoding header "$@"
    "$PARMINE" bench merkle
}

report() {
    mkdir -p artifacts
    log "browser figures (the page in headless Chromium)"
    node scripts/browser-report.mjs artifacts/browser-results.json
    log "parmine bench report"
    "$PARMINE" bench report --browser artifacts/browser-results.json "$@"
}

cmd=${1:-serve}
shift || true
case "$cmd" in
    setup) setup; setup_chromium ;;
    build) setup; build_page ;;
    serve) setup; build_page; serve ;;
    test)
        phase "setup (toolchain, tools, browsers, npm)" test_setup
        phase "cargo fmt + clippy (native, both wasm builds)" lint
        phase "cargo test (native)" native_tests
        for build in threaded single; do
            for browser in chrome firefox; do
                phase "wasm-pack test, $build build, $browser" wasm_test "$browser" "$build"
            done
        done
        phase "page build (both wasm builds, release binary)" build_page
        phase "end-to-end tests of the page" e2e_tests
        log "all tests passed"
        ;;
    bench) setup_rust; bench "$@" ;;
    report) setup; setup_chromium; build_page; report "$@" ;;
    device-check) setup; setup_vulkan; build_page; device_bench_check ;;
    *) echo "usage: $0 [serve|test|setup|build|bench|report|device-check]" >&2; exit 2 ;;
esac
