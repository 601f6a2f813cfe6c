#!/usr/bin/env bash
# Builds the Debian package of Yui from a built binary, with dpkg-deb (no extra tool to install).
#   scripts/build-deb.sh BINARY OUTDIR [fast]
# `make deb` passes the release binary; the package test passes the debug one with `fast`
# (gzip level 1: the package is installed once and thrown away).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:?usage: build-deb.sh BINARY OUTDIR [fast]}
outdir=${2:?usage: build-deb.sh BINARY OUTDIR [fast]}
fast=${3:-}

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

install -D -m 0755 "$binary" "$root/usr/bin/yui"
strip --strip-debug "$root/usr/bin/yui" 2>/dev/null || true
install -D -m 0755 packaging/yuictl "$root/usr/sbin/yuictl"
install -D -m 0644 packaging/yui.service "$root/lib/systemd/system/yui.service"
# default.toml is Yui's own defaults: replaced by every upgrade. production.toml is the operator's.
install -D -m 0644 config/default.toml "$root/etc/yui/default.toml"
install -D -m 0644 packaging/production.toml "$root/etc/yui/production.toml"
for doc in README.md docs/*.md; do
    install -D -m 0644 "$doc" "$root/usr/share/doc/yui/$(basename "$doc")"
done
install -d "$root/DEBIAN"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$root/DEBIAN/"
echo /etc/yui/production.toml > "$root/DEBIAN/conffiles"

# The libraries the binary links (libc, libgcc, libpq), as dpkg-shlibdeps finds them.
shlibs=$(cd "$root" && mkdir -p debian && printf 'Source: yui\n\nPackage: yui\nArchitecture: any\n' > debian/control \
    && dpkg-shlibdeps -O usr/bin/yui 2>/dev/null | sed -n 's/^shlibs:Depends=//p'; rm -rf debian)
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: yui
Version: $version
Architecture: $arch
Maintainer: Yui maintainers <yui@localhost>
Installed-Size: $size
Depends: ${shlibs:-libc6, libpq5}, passwd, ca-certificates
Recommends: nginx | caddy
Suggests: postgresql
Section: web
Priority: optional
Description: Yui 結 - a commons job portal for a region
 One free place where a town's work is visible: jobs, side jobs, pro-bono
 projects and businesses looking for a successor, reviewed by editors of
 several organisations. Serves HTTP behind a reverse proxy, on SQLite or
 PostgreSQL.
CONTROL

mkdir -p "$outdir"
deb="$outdir/yui_${version}_${arch}.deb"
if [ "$fast" = fast ]; then
    dpkg-deb --root-owner-group -Zgzip -z1 --build "$root" "$deb" >/dev/null
else
    dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
fi
echo "$deb"
