#!/bin/sh
# Run each unit-test binary with the fixture directory, show its output and
# print the sum of their "N passed, N failed" lines as the last line.  A
# binary that prints no result line, or exits non-zero with no failure
# counted, adds one failure.  Exits non-zero if anything failed.
#
#	run.sh FIXTURE_DIR BINARY...

fixtures=$1
shift
total_p=0
total_f=0
status=0
: "${UBSAN_OPTIONS:=print_stacktrace=1}"
export UBSAN_OPTIONS

for bin in "$@"; do
	log=$bin.log
	echo "=== $bin"
	"$bin" --fixtures "$fixtures" >"$log" 2>&1
	rc=$?
	cat "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "=== $bin: no result line (exit $rc): counted as 1 failure"
		total_f=$((total_f + 1))
		status=1
		continue
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "=== $bin: exit status $rc with no failure reported: counted as 1 failure"
		f=1
	fi
	[ "$rc" -ne 0 ] && status=1
	total_p=$((total_p + p))
	total_f=$((total_f + f))
done

echo "$total_p passed, $total_f failed"
[ "$status" -eq 0 ] && [ "$total_f" -eq 0 ]
