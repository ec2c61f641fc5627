#!/usr/bin/env bash
# Fuzz stage (docs/contributing.md): builds the libFuzzer targets with the `fuzz`
# preset (clang, ASan + UBSan) and runs each for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 300 fuzz_csv
#
# Each run starts from a fresh temporary corpus seeded from the committed
# tests/fuzz/corpus/<target>/ (the repository is never written to) and uses one
# core. On a crash, hang, leak, sanitizer report or broken invariant the input
# and the log are kept under build/fuzz/findings/<target>/ and the script exits
# non-zero after running the remaining targets. To reproduce a finding:
#   build/fuzz/tests/fuzz/<target> build/fuzz/findings/<target>/crash-...
# Environment: FUZZ_TMPDIR (default $TMPDIR or /tmp), FUZZ_EXTRA_ARGS (more
# libFuzzer flags, e.g. "-only_ascii=1").
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
  exit 2
fi
shift $(($# > 0 ? 1 : 0))
all_targets=(fuzz_csv fuzz_register fuzz_date fuzz_tables fuzz_scenario fuzz_mapping fuzz_plan fuzz_saved)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=("${all_targets[@]}"); fi

started=$SECONDS
scripts/ensure-system-packages.sh cmake ninja-build clang libclang-rt-14-dev \
  libeigen3-dev libboost-date-time-dev libtomlplusplus-dev pkg-config coinor-libclp-dev
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "${JOBS:-2}"
echo "fuzz build: $((SECONDS - started)) s"

bin_dir=build/fuzz/tests/fuzz
findings=build/fuzz/findings
work=$(mktemp -d "${FUZZ_TMPDIR:-${TMPDIR:-/tmp}}/staffcast-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Per-target input size limits: dates are short; tables need a few rows.
max_len() {
  case $1 in
    fuzz_date) echo 64 ;;
    fuzz_csv) echo 4096 ;;
    *) echo 8192 ;;
  esac
}

# libFuzzer dictionaries: the tokens of the input contract (docs/data.md).
write_dictionary() {
  local file=$1
  case $2 in
    fuzz_csv)
      # libFuzzer dictionary escapes: \\ \" and \xAB only.
      printf '%s\n' '"\""' '"\"\""' '","' '";"' '"\x0D\x0A"' '"\x0A"' '"\x0D"' '"\xEF\xBB\xBF"' '"\x00"' \
        '"\xC3\xA5"' '"\xED\xA0\x80"' '"\xF4\x90\x80\x80"' '"\xC0\x80"' >"$file" ;;
    fuzz_date)
      printf '%s\n' '"-02-29"' '"-02-28"' '"-12-31"' '"-01-01"' '"-T"' '"-Q"' '"1900"' '"2000"' '"2100"' '"2199"' \
        '"9999"' '"1400"' >"$file" ;;
    fuzz_register)
      printf '%s\n' '"employee_id"' '"birth_date"' '"gender"' '"employment_form"' '"position"' '"department"' \
        '"fte"' '"start_date"' '"end_date"' '"end_reason"' '"recruitment_source"' '"manager_id"' '"region"' \
        '"permanent"' '"temporary"' '"hourly"' '"own_request"' '"retirement"' '"fixed_term_ended"' \
        '"internal_move"' '"other_administration"' '"dismissal"' '"death"' '"other"' '"internal"' '"external"' \
        '"rehire"' '"9999-12-31"' '"-02-29"' '"1960-"' '"2024-"' '"1.00"' '"0,5"' '"Anst.nr"' '"K\xc3\xb6n"' \
        '"Tillsvidare"' '"Visstid"' '"Pension"' >"$file" ;;
    fuzz_tables)
      printf '%s\n' '"employee_id"' '"start_date"' '"end_date"' '"extent"' '"indicator"' '"period"' '"value"' \
        '"target"' '"better"' '"unit"' '"unit_of_analysis"' '"higher"' '"lower"' '"-T"' '"-Q"' '"2024"' \
        '"-02-29"' '"0.25"' '"1.00"' '"E1"' '"E2"' '"E3"' '"M9"' >"$file" ;;
    fuzz_scenario)
      printf '%s\n' '"name"' '"retirement_age_shift"' '"[[rate_multiplier]]"' '"where"' '"factor"' \
        '"growth_per_year"' '"hiring_freeze_years"' '"target_stock"' '"[target_stock]"' '"part_time_to_full_time"' \
        '"position"' '"department"' '"age_band"' '" = "' '"\x0A"' '"\"\"\""' '"\x27\x27\x27"' '"{ "' '" }"' '"["' '"]"' \
        '"nan"' '"inf"' '"-0.0"' '"1e308"' '"9223372036854775807"' '"-9223372036854775808"' '"0x7fffffff"' \
        '"1979-05-27T07:32:00Z"' '"true"' '"\\u00e5"' '"\xC3\xA5"' >"$file" ;;
    fuzz_mapping)
      printf '%s\n' '"[format]"' '"[columns]"' '"[defaults]"' '"[codes.gender]"' '"[codes.end_reason]"' \
        '"date_format"' '"century_pivot"' '"extracted_on"' '"trim"' '"open_end"' '"TODO"' '"%Y"' '"%y"' '"%m"' \
        '"%d"' '"%b"' '"|"' '"okt"' '"maj"' '"/"' '"."' '" = "' '"\x0A"' '"fte"' '"employment_form"' '"1930"' \
        '"02/29/"' '"2019-03-01"' >"$file" ;;
    fuzz_plan)
      printf '%s\n' '"objective"' '"periods"' '"overstaffing_max_total"' '"[[category]]"' '"[[move]]"' '"name"' \
        '"initial"' '"demand"' '"wastage_new"' '"wastage"' '"recruit_max"' '"recruit_cost"' '"redundancy_cost"' \
        '"overstaffing_cost"' '"short_time_max"' '"short_time_cost"' '"short_time_output"' '"shortfall_cost"' \
        '"from"' '"to"' '"max"' '"max_share_of_target"' '"cost"' '"arrive"' '"redundancy"' '"shortfall"' \
        '" = "' '"\x0A"' '"["' '"]"' '"nan"' '"inf"' '"-0.0"' '"1e12"' '"0.5"' >"$file" ;;
  esac
}

status=0
summary=()
for target in "${targets[@]}"; do
  if [ ! -x "$bin_dir/$target" ]; then
    echo "unknown fuzz target: $target (known: ${all_targets[*]})" >&2
    exit 2
  fi
  dir=$work/$target
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp tests/fuzz/corpus/"$target"/* "$dir/corpus/"
  write_dictionary "$dir/dict" "$target"
  dict_args=()  # a target without a dictionary (fuzz_saved: binary input) gets no -dict
  if [ -s "$dir/dict" ]; then dict_args=(-dict="$dir/dict"); fi
  log=$dir/fuzz.log
  echo "=== fuzz $target: ${seconds} s"
  t0=$SECONDS
  rc=0
  # -timeout: any single input slower than 10 s is a hang. -rss_limit_mb: a
  # hostile file must not make us use gigabytes. -print_final_stats: runs, exec/s.
  # shellcheck disable=SC2086
  "$bin_dir/$target" "$dir/corpus" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len="$(max_len "$target")" -timeout=10 \
    "${dict_args[@]}" -artifact_prefix="$dir/artifacts/" -print_final_stats=1 -print_pcs=0 \
    ${FUZZ_EXTRA_ARGS:-} >"$log" 2>&1 || rc=$?
  elapsed=$((SECONDS - t0))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "$dir/corpus" -type f | wc -l)
  line="$target: ${elapsed} s, ${runs:-?} runs, ${speed:-?} exec/s, corpus ${corpus} inputs, exit ${rc}"
  if [ "$rc" -ne 0 ] || compgen -G "$dir/artifacts/*" >/dev/null; then
    status=1
    mkdir -p "$findings/$target"
    cp "$dir"/artifacts/* "$findings/$target/" 2>/dev/null || true
    cp "$log" "$findings/$target/fuzz-$(date +%Y%m%d-%H%M%S).log"
    grep -E 'ERROR: |invariant violated|SUMMARY: |Test unit written' "$log" | head -20 || true
    line="$line: FAILED (inputs and log in $findings/$target/)"
  fi
  echo "=== fuzz $line"
  summary+=("$line")
  rm -rf "$dir"  # corpora grow: free the space before the next target
done

echo "=== fuzz summary ($((SECONDS - started)) s in all)"
printf '  %s\n' "${summary[@]}"
exit "$status"
