#!/bin/sh
# Run build/tools/lparvisor-config over configs/*.dts and
# configs/examples/*.dts.  A file named bad-*.dts must be rejected (exit
# status 1) with every message its "// expect: MESSAGE" lines give, each
# printed as "error: MESSAGE"; any other file must pass (exit status 0).
# One test per file; prints "N passed, N failed" last.
#
#	check-config-examples.sh CHECKER OUT_DIR

checker=$1
out=$2
passed=0
failed=0
mkdir -p "$out"

# Report one problem with the current file; it then counts as failed.
fail() {
	echo "FAIL $1: $2"
	ok=0
}

for dts in configs/*.dts configs/examples/*.dts; do
	name=$(basename "$dts" .dts)
	dtb=$out/$name.dtb
	log=$out/$name.log
	ok=1
	if ! dtc -q -I dts -O dtb -o "$dtb" "$dts" 2>"$log"; then
		fail "$dts" "dtc failed: $(cat "$log")"
		failed=$((failed + 1))
		continue
	fi
	"$checker" check "$dtb" >"$log" 2>&1
	rc=$?
	case $name in
	bad-*)
		if [ "$rc" -ne 1 ]; then
			fail "$dts" "exit status $rc, expected 1"
		fi
		expects=$(sed -n 's|^// expect: ||p' "$dts")
		if [ -z "$expects" ]; then
			fail "$dts" "no // expect: line"
		fi
		# Each expected message, one per line, must appear exactly.
		while IFS= read -r msg; do
			[ -z "$msg" ] && continue
			if ! grep -Fqx "error: $msg" "$log"; then
				fail "$dts" "missing \"error: $msg\""
			fi
		done <<END
$expects
END
		;;
	*)
		if [ "$rc" -ne 0 ]; then
			fail "$dts" "exit status $rc, expected 0"
		fi
		;;
	esac
	if [ "$ok" -eq 1 ]; then
		echo "ok   $dts"
		passed=$((passed + 1))
	else
		sed 's/^/     | /' "$log"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
