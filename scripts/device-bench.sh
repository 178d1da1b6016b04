#!/usr/bin/env bash
# The GPU miner and the thread scaling on a machine of its own: one prepared,
# self-contained run for a Linux x86-64 machine (a GPU, many cores, no
# network). See docs/performance.md, "On a GPU machine".
#
#   scripts/device-bench.sh prepare [DIR]  here, with the network: build the
#        release `parmine` and the kernels test binary, and unpack Debian's
#        Vulkan loader (libvulkan1) and jq (with its glibc) from their .debs, all into DIR
#        (target/device by default) with a copy of this script. Carry DIR over.
#   DIR/device-bench.sh run [--quick] [--out DIR]   there: every step below,
#        about five minutes (--quick: seconds, on any adapter, lavapipe
#        included); writes results.json and summary.txt into $OUT if set,
#        else --out, else artifacts/device-bench.
#   DIR/device-bench.sh check [OUT]        fail unless OUT's results hold
#        every step, each passed, with the figures the summary needs.
#   DIR/device-bench.sh selftest [OUT]     fail unless check refuses copies
#        of OUT's results with a step, a status or a figure broken.
#
# Steps: the machine and the adapter (name, driver); `bench mine --device
# cpu,gpu` for the header (SHA-256, BLAKE3) and the blog JSON (SHA-256); the
# GPU alone at a difficulty raised until a block lasts long enough to
# measure; `bench mine` of every strategy on 1, 2, 4, 8, 16 threads (capped at
# the machine's cores); `bench hash`; the kernels test binary with every
# kernel the CPU reports required. Each step's sizes can be tuned through the
# environment (DEVICE_BENCH_* below); every step runs under a timeout, and a
# failed step is recorded, not fatal, so one run gives every figure it can.
set -uo pipefail

die() { echo "device-bench: $*" >&2; exit 2; }
log() { printf '\n== %s\n' "$*" >&2; }
here() { cd "$(dirname "${BASH_SOURCE[0]}")" && pwd; }

# ---------------------------------------------------------------- prepare

# Files of a Debian package, unpacked (not installed) into $2.
unpack_deb() {
    local package=$1 into=$2 tmp
    tmp=$(mktemp -d)
    if ! (cd "$tmp" && apt-get download -qq "$package" >/dev/null 2>&1); then
        # A fresh machine may have no package lists yet.
        if [ "$(id -u)" = 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi
        (cd "$tmp" && apt-get download -qq "$package") || die "apt-get download $package failed"
    fi
    dpkg-deb -x "$tmp"/"$package"_*.deb "$into" || die "dpkg-deb -x $package failed"
    rm -rf "$tmp"
}

prepare() {
    local root dir unpacked kernels
    root=$(cd "$(here)/.." && pwd)
    dir=${1:-$root/target/device}
    mkdir -p "$dir/lib" "$dir/jq"
    dir=$(cd "$dir" && pwd)
    cd "$root" || die "no repository at $root"
    log "release parmine"
    cargo build --release --locked || die "cargo build --release failed"
    cp target/release/parmine "$dir/parmine"
    # The dev-profile test binary: `cargo test` has built it already (no
    # extra compile in CI); a release one would compile every dev-dependency
    # again with LTO. It checks the kernels' answers, not their speed.
    log "kernels test binary (dev profile)"
    kernels=$(cargo test --locked --test kernels --no-run --message-format=json |
        sed -n 's/.*"executable":"\([^"]*\/kernels-[^"]*\)".*/\1/p' | tail -n 1)
    [ -x "$kernels" ] || die "no kernels test binary from cargo test --no-run"
    cp "$kernels" "$dir/kernels"
    # Without their debug info the two fit the 64 MiB a carried folder may
    # hold; symbols stay, so a panic's backtrace still names functions.
    if command -v strip >/dev/null; then strip --strip-debug "$dir/parmine" "$dir/kernels"; fi
    log "Debian's libvulkan1 and jq, unpacked"
    unpacked=$(mktemp -d)
    for package in libvulkan1 jq libjq1 libonig5 libc6; do unpack_deb "$package" "$unpacked"; done
    cp -P "$unpacked"/usr/lib/x86_64-linux-gnu/libvulkan.so.1* "$dir/lib/"
    # jq with its own glibc and dynamic loader: Debian 12's jq asks for
    # glibc 2.36 (arc4random), newer than some GPU machines' systems.
    cp -L "$unpacked"/usr/lib/x86_64-linux-gnu/libjq.so.1 "$unpacked"/usr/lib/x86_64-linux-gnu/libonig.so.5 \
        "$unpacked"/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$unpacked"/lib/x86_64-linux-gnu/libc.so.6 \
        "$unpacked"/lib/x86_64-linux-gnu/libm.so.6 "$unpacked"/usr/bin/jq "$dir/jq/" || die "jq's files are not where Debian 12 puts them"
    rm -rf "$unpacked"
    cp "$root/scripts/device-bench.sh" "$dir/device-bench.sh"
    {
        echo "commit $(git rev-parse HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (modified)')"
        echo "prepared $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
        "$dir/parmine" --version
    } >"$dir/MANIFEST"
    log "prepared $dir ($(du -sh "$dir" | cut -f1)); carry it over and run $dir/device-bench.sh run"
}

# ---------------------------------------------------------------- run

# The bundle: this script's folder when it was prepared there, else the
# repository's target/device.
bundle_dir() {
    local d
    d=$(here)
    if [ -x "$d/parmine" ]; then echo "$d"; else echo "$(cd "$d/.." && pwd)/target/device"; fi
}

# jq: the machine's, else the bundle's (DEVICE_BENCH_BUNDLED_JQ=1: the
# bundle's anyway, as ./build.sh test runs it, so that path is checked too).
jq() {
    if command -v jq >/dev/null 2>&1 && [ -z "${DEVICE_BENCH_BUNDLED_JQ:-}" ]; then
        command jq "$@"
    else
        "$BUNDLE/jq/ld-linux-x86-64.so.2" --library-path "$BUNDLE/jq" "$BUNDLE/jq/jq" "$@"
    fi
}

has_system_vulkan() {
    { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libvulkan\.so\.1 ' && return 0
    local d
    for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /lib/x86_64-linux-gnu; do
        [ -e "$d/libvulkan.so.1" ] && return 0
    done
    return 1
}

# Vulkan ICD manifests the loader reads by default.
icd_files() {
    ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json /usr/local/share/vulkan/icd.d/*.json 2>/dev/null || true
}

# The loader (the bundle's where the machine has none, or where
# DEVICE_BENCH_BUNDLED_LOADER=1 asks for it), and NVIDIA's ICD where the driver is there without its
# manifest (containers given only the compute capability lack it).
setup_vulkan() {
    VULKAN_LOADER=system
    if [ -n "${DEVICE_BENCH_BUNDLED_LOADER:-}" ] || ! has_system_vulkan; then
        VULKAN_LOADER="bundled ($BUNDLE/lib)"
        export LD_LIBRARY_PATH="$BUNDLE/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    fi
    ICD_NOTE=""
    if command -v nvidia-smi >/dev/null 2>&1 && ! icd_files | xargs -r grep -li nvidia >/dev/null 2>&1; then
        local glx
        glx=$({ ldconfig -p 2>/dev/null || true; } | awk '/libGLX_nvidia\.so\.0 / { print $NF; exit }')
        if [ -n "$glx" ]; then
            printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3"}}\n' "$glx" >"$OUT/nvidia_icd.json"
            export VK_DRIVER_FILES="$OUT/nvidia_icd.json" VK_ICD_FILENAMES="$OUT/nvidia_icd.json"
            ICD_NOTE="no NVIDIA ICD manifest on the machine: wrote one for $glx"
        else
            ICD_NOTE="nvidia-smi is here, but no NVIDIA Vulkan ICD (no manifest, no libGLX_nvidia.so.0)"
        fi
    fi
}

# step NAME SECONDS KIND CMD...: run CMD under a timeout; KIND json: its
# stdout is a JSON value; text: kept as text. One record per step.
step() {
    local name=$1 limit=$2 kind=$3 start end status record
    shift 3
    STEPS=$((STEPS + 1))
    record=$(printf '%s/steps/%02d-%s.json' "$OUT" "$STEPS" "$name")
    log "$name: $*"
    start=$(date +%s.%N)
    timeout --kill-after=10 "$limit" "$@" >"$OUT/steps/$name.out" 2>"$OUT/steps/$name.err"
    status=$?
    end=$(date +%s.%N)
    [ "$status" = 0 ] || echo "device-bench: step $name exited $status" >&2
    jq -n --arg name "$name" --arg kind "$kind" --argjson status "$status" \
        --argjson seconds "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')" \
        --arg command "$*" --rawfile out "$OUT/steps/$name.out" --rawfile err "$OUT/steps/$name.err" \
        '{name: $name, command: $command, status: $status, seconds: $seconds,
          result: (if $kind == "json" then (try ($out | fromjson) catch null) else $out end),
          stderr_tail: ($err | split("\n") | map(select(length > 0)) | .[-12:])}' \
        >"$record"
    return "$status"
}

# The GPU alone on one workload, the difficulty raised until a block lasts
# GPU_MIN_MS, up to GPU_MAX_DIFFICULTY: a JSON array of `mine --json` reports.
gpu_sustained() {
    local encoding=$1 hasher=$2 difficulty=$3 report ms first=1
    echo "["
    while :; do
        report=$("$PARMINE" mine --device gpu --json --encoding "$encoding" --hasher "$hasher" \
            --difficulty "$difficulty" --timestamp "$((1700000000 + difficulty))") || return 1
        [ "$first" = 1 ] || echo ","
        first=0
        echo "$report"
        ms=$(jq -r '.elapsed_ms // 0' <<<"$report")
        if awk -v ms="$ms" -v min="$GPU_MIN_MS" 'BEGIN { exit !(ms >= min) }' || [ "$difficulty" -ge "$GPU_MAX_DIFFICULTY" ]; then
            break
        fi
        difficulty=$((difficulty + 1))
    done
    echo "]"
}

# The thread counts asked for (1 2 4 8 16) up to the machine's cores, and
# the cores themselves where they fall short of the largest (12 cores: 1, 2,
# 4, 8, 12).
thread_counts() {
    local cores=$1 t list="" largest=0 have=0
    for t in $SCALING_THREADS; do
        [ "$t" -gt "$largest" ] && largest=$t
        [ "$t" = "$cores" ] && have=1
        [ "$t" -le "$cores" ] && list="$list${list:+,}$t"
    done
    [ "$have" = 0 ] && [ "$cores" -lt "$largest" ] && list="$list${list:+,}$cores"
    echo "${list:-1}"
}

# The kernels the CPU reports, by the names the kernels test takes.
required_kernels() {
    local flags list="" known
    flags=" $(awk -F: '/^flags/ { print $2; exit }' /proc/cpuinfo) "
    [[ $flags == *" sha_ni "* ]] && list="$list,sha-ni"
    [[ $flags == *" avx2 "* ]] && list="$list,avx2"
    [[ $flags == *" sse4_1 "* ]] && list="$list,sse4.1"
    if [[ $flags == *" avx512f "* ]]; then
        # Only where this parmine has an AVX-512 kernel: its names are those
        # an unknown one is refused with.
        known=$("$PARMINE" mine --kernel no-such-kernel 2>&1 | sed -n 's/.*expected one of //p')
        [[ ",${known// /}," == *",avx512,"* ]] && list="$list,avx512"
    fi
    echo "${list#,}"
}

machine_json() {
    local os glibc nvidia=""
    os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")
    glibc=$(ldd --version 2>/dev/null | head -n 1)
    command -v nvidia-smi >/dev/null 2>&1 &&
        nvidia=$(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,power.limit --format=csv,noheader 2>&1 | head -n 4)
    jq -n --arg model "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
        --argjson cores "$CORES" \
        --arg flags "$(awk -F: '/^flags/ { print $2; exit }' /proc/cpuinfo | tr ' ' '\n' |
            grep -E '^(sse4_1|ssse3|avx|avx2|sha_ni|avx512f|avx512vl|avx512bw|avx512dq|vaes)$' | sort | tr '\n' ' ')" \
        --arg memory "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" \
        --arg kernel "$(uname -srm)" --arg os "$os" --arg glibc "$glibc" \
        --arg loader "$VULKAN_LOADER" --arg icd_note "$ICD_NOTE" \
        --arg icds "$(icd_files | tr '\n' ' ')" --arg nvidia "$nvidia" \
        --arg required "$REQUIRED_KERNELS" --arg bundle "$(cat "$BUNDLE/MANIFEST" 2>/dev/null)" \
        '{cpu: $model, cores: $cores, cpu_flags: ($flags | split(" ") | map(select(length > 0))),
          memory: $memory, kernel: $kernel, os: $os, glibc: $glibc,
          vulkan_loader: $loader, vulkan_icds: ($icds | split(" ") | map(select(length > 0))),
          icd_note: $icd_note, nvidia_smi: $nvidia,
          required_kernels: ($required | split(",") | map(select(length > 0))),
          bundle: $bundle}'
}

run() {
    local quick=0 out=""
    while [ $# -gt 0 ]; do
        case $1 in
            --quick) quick=1 ;;
            --out) out=$2; shift ;;
            *) die "unknown option $1 (run [--quick] [--out DIR])" ;;
        esac
        shift
    done
    BUNDLE=$(bundle_dir)
    PARMINE=${PARMINE_BIN:-$BUNDLE/parmine}
    KERNELS=${KERNELS_BIN:-$BUNDLE/kernels}
    [ -x "$PARMINE" ] || die "no parmine at $PARMINE (run scripts/device-bench.sh prepare first)"
    [ -x "$KERNELS" ] || die "no kernels test binary at $KERNELS (run scripts/device-bench.sh prepare first)"
    OUT=${OUT:-${out:-artifacts/device-bench}}
    mkdir -p "$OUT/steps" || die "cannot write $OUT"
    OUT=$(cd "$OUT" && pwd)
    rm -f "$OUT"/steps/*
    STEPS=0

    # Sizes: the full run aims at about five minutes on 16 cores with a GPU
    # near 10 G/s (docs/performance.md); --quick at seconds on lavapipe.
    local mode device_d json_d device_blocks hash_ms scaling_seconds kernels_filter
    if [ "$quick" = 1 ]; then
        mode=quick
        device_d=${DEVICE_BENCH_DIFFICULTY:-3} json_d=${DEVICE_BENCH_JSON_DIFFICULTY:-3}
        device_blocks=${DEVICE_BENCH_BLOCKS:-2}
        GPU_MIN_MS=${DEVICE_BENCH_GPU_MIN_MS:-100} GPU_MAX_DIFFICULTY=${DEVICE_BENCH_GPU_MAX_DIFFICULTY:-4}
        SCALING_THREADS=${DEVICE_BENCH_THREADS:-1 2}
        scaling_seconds=${DEVICE_BENCH_SCALING_SECONDS:-2}
        hash_ms=${DEVICE_BENCH_HASH_MS:-20}
        # The tests that check every required kernel against the crates;
        # `cargo test` has just run the rest where this runs in CI.
        kernels_filter=${DEVICE_BENCH_KERNELS_FILTER-equals}
    else
        mode=full
        device_d=${DEVICE_BENCH_DIFFICULTY:-7} json_d=${DEVICE_BENCH_JSON_DIFFICULTY:-6}
        device_blocks=${DEVICE_BENCH_BLOCKS:-2}
        GPU_MIN_MS=${DEVICE_BENCH_GPU_MIN_MS:-2000} GPU_MAX_DIFFICULTY=${DEVICE_BENCH_GPU_MAX_DIFFICULTY:-10}
        SCALING_THREADS=${DEVICE_BENCH_THREADS:-1 2 4 8 16}
        scaling_seconds=${DEVICE_BENCH_SCALING_SECONDS:-120}
        hash_ms=${DEVICE_BENCH_HASH_MS:-500}
        kernels_filter=${DEVICE_BENCH_KERNELS_FILTER-}
    fi
    local limit=${DEVICE_BENCH_STEP_TIMEOUT:-240}
    CORES=$(nproc)
    local threads
    threads=$(thread_counts "$CORES")
    setup_vulkan
    REQUIRED_KERNELS=$(required_kernels)
    local started
    started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    machine_json >"$OUT/machine.json"

    local failed=0
    # The adapter: `mine --device gpu` names it (name, type, backend, driver).
    step adapter "$limit" text "$PARMINE" mine --device gpu --difficulty 1 || failed=1
    local cpu_gpu=(bench mine --json --device cpu,gpu --strategies sequential,find-any
        --threads "$CORES" --runs 1 --blocks "$device_blocks")
    step device-header-sha256 "$limit" json "$PARMINE" "${cpu_gpu[@]}" --encoding header --hasher sha256 --difficulty "$device_d" || failed=1
    step device-header-blake3 "$limit" json "$PARMINE" "${cpu_gpu[@]}" --encoding header --hasher blake3 --difficulty "$device_d" || failed=1
    step device-json-sha256 "$limit" json "$PARMINE" "${cpu_gpu[@]}" --encoding json --hasher sha256 --difficulty "$json_d" || failed=1
    local self
    self="$(here)/$(basename "${BASH_SOURCE[0]}")"
    export BUNDLE PARMINE GPU_MIN_MS GPU_MAX_DIFFICULTY
    step gpu-header-sha256 "$limit" json "$self" gpu-sustained header sha256 "$device_d" || failed=1
    step gpu-header-blake3 "$limit" json "$self" gpu-sustained header blake3 "$device_d" || failed=1
    step gpu-json-sha256 "$limit" json "$self" gpu-sustained json sha256 "$json_d" || failed=1
    step scaling-header-sha256 "$limit" json "$PARMINE" bench mine --json --encoding header --hasher sha256 \
        --strategies all --threads "$threads" --calibrate --seconds "$scaling_seconds" || failed=1
    step hash "$limit" json "$PARMINE" bench hash --json --ms "$hash_ms" || failed=1
    # shellcheck disable=SC2086 # the filter is words: libtest takes several
    step kernels "$limit" text env PARMINE_REQUIRE_KERNELS="$REQUIRED_KERNELS" "$KERNELS" --test-threads "$CORES" $kernels_filter || failed=1

    jq -n --arg mode "$mode" --arg started "$started" --arg finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
        --slurpfile machine "$OUT/machine.json" --arg threads "$threads" \
        --slurpfile steps <(cat "$OUT"/steps/[0-9]*.json) -f <(summary_program) >"$OUT/results.json" ||
        die "could not assemble $OUT/results.json"
    jq -r -f <(text_program) "$OUT/results.json" >"$OUT/summary.txt" || die "could not write $OUT/summary.txt"
    cat "$OUT/summary.txt"
    echo "device-bench: wrote $OUT/results.json and $OUT/summary.txt" >&2
    return "$failed"
}

# results.json: the machine, the adapter, each step's record, and the
# figures the issue asks for, derived from the steps' rows.
summary_program() {
    cat <<'JQ'
def step($n): ($steps | map(select(.name == $n)) | first) // null;
def rows($n): (step($n).result // []) | if type == "array" then . else [] end;
def rate($rows; $s): ($rows | map(select(.strategy == $s)) | first | .attempts_per_sec) // null;
def ratio($a; $b): if $a != null and $b != null and $b > 0 then $a / $b else null end;
def device($n): rows($n) as $r
  | { sequential: rate($r; "sequential"),
      cpu_all_threads: rate($r; "find-any"),
      gpu: rate($r; "gpu"),
      gpu_sustained: ((step("gpu-" + ($n | ltrimstr("device-"))).result // []) | last | .attempts_per_sec?),
      gpu_sustained_difficulty: ((step("gpu-" + ($n | ltrimstr("device-"))).result // []) | last | .difficulty?) }
  | . + { gpu_over_all_threads: ratio(.gpu_sustained // .gpu; .cpu_all_threads) };
def scaling: rows("scaling-header-sha256") as $r
  | [$r | map(select(.strategy | IN("find-first", "find-any", "striped", "chunked")))
      | group_by(.strategy)[]
      | { strategy: .[0].strategy,
          points: map({ threads, attempts_per_sec, efficiency }) } ];
{ schema: 1, mode: $mode, started: $started, finished: $finished,
  machine: $machine[0],
  adapter: ((step("adapter").result // "") | split("\n") | map(select(test("gpu on "))) | first
            | if . then sub(".*gpu on "; "") | sub(", difficulty.*"; "") else null end),
  threads: ($threads | split(",") | map(tonumber)),
  steps: ($steps | map({ name, command, status, seconds, stderr_tail, result })),
  exit_statuses: ($steps | map({ (.name): .status }) | add),
  figures: {
    header_sha256: device("device-header-sha256"),
    header_blake3: device("device-header-blake3"),
    json_sha256: device("device-json-sha256"),
    scaling_header_sha256: scaling,
    hash_kernels: ((step("hash").result.kernels // []) | map({ hasher, kernel, per_sec })),
    kernels_test: ((step("kernels").result // "") | split("\n")
                   | map(select(test("^test result:"))) | first) } }
JQ
}

text_program() {
    cat <<'JQ'
def n: if . == null then "-" elif . >= 1e9 then "\(. / 1e9 * 100 | round / 100) G"
       elif . >= 1e6 then "\(. / 1e6 * 100 | round / 100) M" elif . >= 1e3 then "\(. / 1e3 * 10 | round / 10) k"
       else "\(. * 10 | round / 10)" end;
def pad($w): tostring | . + (" " * ($w - length));
def f2: if . == null then "-" else "\(. * 100 | round / 100)" end;
"parmine device bench (\(.mode)), \(.started) .. \(.finished)",
"machine   \(.machine.cpu), \(.machine.cores) cores, \(.machine.memory); \(.machine.os); \(.machine.kernel)",
"cpu       \(.machine.cpu_flags | join(" ")); kernels required: \(.machine.required_kernels | join(","))",
"adapter   \(.adapter // "NONE")",
"vulkan    loader \(.machine.vulkan_loader); ICDs \(.machine.vulkan_icds | join(" "))\(if .machine.icd_note != "" then "; " + .machine.icd_note else "" end)",
(if .machine.nvidia_smi != "" then "nvidia    \(.machine.nvidia_smi)" else empty end),
"",
"\("candidates/s" | pad(15)) \("sequential" | pad(11)) \("\(.machine.cores) threads" | pad(11)) \("gpu (bench)" | pad(12)) \("gpu (sustained, difficulty)" | pad(28)) gpu / all threads",
(.figures | to_entries[] | select(.value | type == "object") |
  "\(.key | pad(15)) \(.value.sequential | n | pad(11)) \(.value.cpu_all_threads | n | pad(11)) \(.value.gpu | n | pad(12)) \("\(.value.gpu_sustained | n) (\(.value.gpu_sustained_difficulty // "-"))" | pad(28)) \(.value.gpu_over_all_threads | f2)"),
"",
"header SHA-256 scaling (attempts/s, efficiency) on threads \(.threads | map(tostring) | join(","))",
(.figures.scaling_header_sha256[] |
  "  \(.strategy | pad(11)) \(.points | map("\(.threads): \(.attempts_per_sec | n) (\(.efficiency | f2))") | join("  "))"),
"",
"one thread, header scan loop per kernel: \(.figures.hash_kernels | map("\(.hasher) \(.kernel) \(.per_sec | n)") | join(", "))",
"kernels test: \(.figures.kernels_test // "no result")",
"",
"steps: \(.steps | map("\(.name) \(if .status == 0 then "ok" else "FAILED (\(.status))" end) \(.seconds | round)s") | join(", "))"
JQ
}

# ---------------------------------------------------------------- check

# What a run must have written; used by `./build.sh test` after a --quick
# run on lavapipe, and worth running after a run on the GPU machine.
check() {
    local out=${1:-${OUT:-artifacts/device-bench}}
    BUNDLE=$(bundle_dir)
    [ -s "$out/results.json" ] || die "check: no $out/results.json"
    [ -s "$out/summary.txt" ] || die "check: no $out/summary.txt"
    local missing
    missing=$(jq -r -f <(check_program) "$out/results.json") || die "check: $out/results.json is not a run's JSON"
    [ -z "$missing" ] || die "check: $out/results.json lacks: $(echo "$missing" | paste -sd ';' | sed 's/;/; /g')"
    grep -q '^adapter   ' "$out/summary.txt" || die "check: $out/summary.txt has no adapter line"
    echo "device-bench: $out holds every step and figure" >&2
}

# The check is not vacuous: OUT's results with a step dropped, a step
# failed, or a figure missing must each be refused.
check_refuses() {
    local out=${1:-artifacts/device-bench} bad edit
    BUNDLE=$(bundle_dir)
    (check "$out") || die "selftest: $out itself does not pass the check"
    bad=$(mktemp -d)
    cp "$out/summary.txt" "$bad/"
    for edit in 'del(.steps[] | select(.name == "kernels"))' \
        '(.steps[] | select(.name == "hash") | .status) = 1' \
        '.figures.header_sha256.gpu = null' \
        '.figures.scaling_header_sha256 |= .[1:]' \
        '.adapter = null' \
        '.figures.kernels_test = "test result: ok. 0 passed; 0 failed"'; do
        jq "$edit" "$out/results.json" >"$bad/results.json" || die "selftest: jq failed on $edit"
        if (check "$bad" 2>/dev/null); then die "selftest: check accepted results edited by $edit"; fi
    done
    rm -rf "$bad"
    echo "device-bench: check refuses each broken copy of $out" >&2
}

check_program() {
    cat <<'JQ'
def positive: type == "number" and . > 0;
def rows($n): .steps | map(select(.name == $n)) | first | .result;
def need($what; f): if (try (f | . == true) catch false) then empty else $what end;
. as $r |
need("schema 1"; .schema == 1),
need("machine cores"; .machine.cores | positive),
need("machine cpu"; .machine.cpu | type == "string" and length > 0),
need("the adapter named"; .adapter | type == "string" and length > 0),
need("every step"; .steps | map(.name) | contains(["adapter", "device-header-sha256", "device-header-blake3",
    "device-json-sha256", "gpu-header-sha256", "gpu-header-blake3", "gpu-json-sha256",
    "scaling-header-sha256", "hash", "kernels"])),
need("every step passed"; .steps | all(.status == 0)),
need("every exit status 0"; .exit_statuses | to_entries | all(.value == 0)),
(["header_sha256", "header_blake3", "json_sha256"][] as $w |
  (["sequential", "cpu_all_threads", "gpu", "gpu_sustained", "gpu_over_all_threads"][] as $f |
    need("\($w) \($f) rate"; $r.figures[$w][$f] | positive))),
need("cpu,gpu rows: sequential, find-any, gpu";
    rows("device-header-sha256") | map(.strategy) | contains(["sequential", "find-any", "gpu"])),
need("four parallel strategies"; .figures.scaling_header_sha256 | map(.strategy) | sort ==
    ["chunked", "find-any", "find-first", "striped"]),
need("every thread count, every strategy"; .threads as $t | .figures.scaling_header_sha256
    | all(.points | map(.threads) == $t) and all(.points[] | .attempts_per_sec | positive)),
need("kernel rates"; .figures.hash_kernels | length > 0 and all(.per_sec | positive)),
need("every required kernel measured"; .machine.required_kernels as $req | .figures.hash_kernels
    | map(.kernel) as $have | $req | all(. as $k | $have | index($k) != null)),
need("kernels test ok, tests run"; .figures.kernels_test | test("^test result: ok\\. [1-9]"))
JQ
}

cmd=${1:-}
shift || true
case "$cmd" in
    prepare) prepare "$@" ;;
    run) run "$@" ;;
    check) check "$@" ;;
    selftest) check_refuses "$@" ;;
    # One step of `run`, in a process of its own (under `timeout`).
    gpu-sustained) BUNDLE=${BUNDLE:-$(bundle_dir)}; gpu_sustained "$@" ;;
    *) die "usage: $0 prepare [DIR] | run [--quick] [--out DIR] | check [OUT] | selftest [OUT]" ;;
esac
