# Shared by the scripts that fetch Debian ppc64el packages with apt
# (tools/linux/fetch.sh, tests/bench/kvm/fetch.sh).  Source it after
# setting `arch` (the Debian architecture), `cache` (where .debs are kept)
# and defining `die MESSAGE`.

# candidate PKG: the version apt would install of PKG:$arch, or nothing.
candidate() {
	apt-cache policy "$1:$arch" 2>/dev/null |
		sed -n 's/^ *Candidate: //p' | grep -v '^(none)$' || true
}

# fetch_deb PKG VERSION: print the path of PKG_VERSION_$arch.deb in $cache,
# downloading it unless the cache has it (apt-get download writes the
# epoch's ':' as %3a), and check that the file is that package.
fetch_deb() {
	local pkg=$1 ver=$2 deb
	deb=$cache/${pkg}_${ver//:/%3a}_$arch.deb
	if [ ! -s "$deb" ]; then
		echo "  FETCH   $pkg $ver ($arch, cached in build/cache/apt)" >&2
		(cd "$cache" && apt-get -q download "$pkg:$arch=$ver" \
			>"$cache/download-$pkg.log" 2>&1) || {
			cat "$cache/download-$pkg.log" >&2
			die "'apt-get download $pkg:$arch=$ver' failed (log above)"
		}
		[ -s "$deb" ] || die "apt-get download did not write $deb"
	fi
	if [ "$(dpkg-deb -f "$deb" Package)" != "$pkg" ] ||
		[ "$(dpkg-deb -f "$deb" Version)" != "$ver" ] ||
		[ "$(dpkg-deb -f "$deb" Architecture)" != "$arch" ]; then
		die "$deb is not $pkg $ver $arch (remove it and retry)"
	fi
	echo "$deb"
}
