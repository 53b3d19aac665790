#!/bin/sh
# Run each libFuzzer target of tests/fuzz/ for a time budget and print
# "N passed, N failed" last: one test per target, failed when libFuzzer
# reports a finding (crash, sanitizer report, leak, timeout, out of
# memory) or exits non-zero.  A finding's input is kept under
# OUT/findings/ and its replay command printed.
#
#	run-fuzz.sh OUT SECONDS SEED TARGET...
#
# OUT is the build folder (build/fuzz): OUT/TARGET-fuzz is the binary,
# OUT/seeds/TARGET/ and tests/fuzz/corpus/TARGET/ the read-only seeds,
# OUT/corpus/TARGET/ the working corpus libFuzzer adds to.  An empty SEED
# lets libFuzzer pick one; it prints it either way ("INFO: Seed: N").

out=$1
seconds=$2
seed=$3
shift 3
passed=0
failed=0
mkdir -p "$out/findings" "$out/logs"

for t in "$@"; do
	bin=$out/$t-fuzz
	corpus=$out/corpus/$t
	log=$out/logs/$t.log
	mkdir -p "$corpus"
	seeds=""
	for d in "$out/seeds/$t" "tests/fuzz/corpus/$t"; do
		[ -d "$d" ] && seeds="$seeds $d"
	done
	echo "fuzz $t: ${seconds}s from $(find $seeds -type f | wc -l) seeds and $(find "$corpus" -type f | wc -l) corpus inputs"
	# -timeout: one input taking 10 s is a hang; -rss_limit_mb: a leak
	# or runaway allocation; -max_len: bundles up to 64 KiB.
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$out/findings/$t-" ${seed:+-seed="$seed"} \
		"$corpus" $seeds >"$log" 2>&1
	rc=$?
	grep -E '^INFO: Seed:|^#[0-9]+ +DONE|^stat::number_of_executed_units|^stat::peak_rss|^Done [0-9]+ runs' "$log"
	artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -z "$artifact" ] && grep -q '^Done [0-9]* runs' "$log"; then
		echo "PASS fuzz $t: no finding"
		passed=$((passed + 1))
	else
		grep -E 'FUZZ FINDING|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log" | head -n 20
		echo "FAIL fuzz $t: exit status $rc; log $log"
		if [ -n "$artifact" ]; then
			echo "  finding saved as $artifact"
			echo "  replay: $bin $artifact"
		fi
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
