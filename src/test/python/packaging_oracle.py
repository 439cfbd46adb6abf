"""Answers questions about Python packaging standards with the reference implementation (pypa/packaging).

Used by pybundle's differential tests: reads one JSON request per line from the file named by argv[1] and writes one
JSON answer per line to argv[2]. Each request has a "kind"; see answer() for the fields. Runs on Python 3.8+.
"""
import json
import sys

import packaging
from packaging import _manylinux, _musllinux, tags
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import Specifier, SpecifierSet
from packaging.utils import parse_sdist_filename, parse_wheel_filename
from packaging.version import Version

REQUIRED = "24.2"


def version_info(s):
    v = Version(s)
    return {"ok": True, "norm": str(v), "pre": v.is_prerelease, "post": v.is_postrelease,
            "dev": v.is_devrelease, "public": v.public, "base": v.base_version, "local": v.local}


def valid_version(s):
    try:
        Version(s)
        return True
    except Exception:
        return False


def expand_platform(platform, glibc=None):
    """The platform tags packaging itself derives for a system of the named platform."""
    for legacy, version in (("manylinux1_", (2, 5)), ("manylinux2010_", (2, 12)), ("manylinux2014_", (2, 17))):
        if platform.startswith(legacy):
            return expand_manylinux(version, platform[len(legacy):])
    parts = platform.split("_", 3)
    if platform.startswith("manylinux_"):
        return expand_manylinux((int(parts[1]), int(parts[2])), parts[3])
    if platform.startswith("musllinux_"):
        _musllinux._get_musl_version = lambda executable: _musllinux._MuslVersion(int(parts[1]), int(parts[2]))
        return list(_musllinux.platform_tags([parts[3]]))
    if platform.startswith("macosx_"):
        return list(tags.mac_platforms((int(parts[1]), int(parts[2])), parts[3]))
    return [platform]


def expand_manylinux(glibc, arch):
    _manylinux._get_glibc_version = lambda: glibc
    _manylinux._have_compatible_abi = lambda executable, archs: True
    return list(_manylinux.platform_tags([arch]))


def target_tags(q):
    platforms = []
    for p in q["platforms"]:
        for t in expand_platform(p):
            if t not in platforms:
                platforms.append(t)
    version = (q["major"], q["minor"])
    if q["impl"] == "cp":
        first = tags.cpython_tags(version, q["abis"], platforms)
    else:
        first = tags.generic_tags("%s%d%d" % (q["impl"], q["major"], q["minor"]), q["abis"], platforms)
    interpreter = "%s%d%d" % (q["impl"], q["major"], q["minor"])
    return [str(t) for t in list(first) + list(tags.compatible_tags(version, interpreter, platforms))]


def pre(q):
    return q.get("pre")


def answer(q):
    kind = q["kind"]
    try:
        if kind == "version":
            return version_info(q["s"])
        if kind == "vcmp":
            a, b = Version(q["a"]), Version(q["b"])
            return {"ok": True, "cmp": (a > b) - (a < b), "eq": a == b, "hasheq": hash(a) == hash(b)}
        if kind == "spec":
            s = SpecifierSet(q["s"])
            if any(sp.operator == "===" and not valid_version(sp.version) for sp in s):
                # The property fails or not depending on set iteration order: not a question to compare.
                return {"ok": True, "str": str(s), "pre": None}
            return {"ok": True, "str": str(s), "pre": s.prereleases}
        if kind == "contains":
            return {"ok": True, "value": SpecifierSet(q["spec"]).contains(Version(q["v"]), prereleases=pre(q))}
        if kind == "filter":
            return {"ok": True, "value": [str(v) for v in SpecifierSet(q["spec"]).filter(
                [Version(v) for v in q["vs"]], prereleases=pre(q))]}
        if kind == "req":
            r = Requirement(q["s"])
            out = {"ok": True, "name": r.name, "extras": sorted(r.extras), "spec": str(r.specifier),
                   "url": r.url, "hasmarker": r.marker is not None}
            if r.marker is not None:
                try:
                    out["eval"] = r.marker.evaluate(q["env"])
                except Exception as e:  # undefined comparison or invalid version: an evaluation error
                    out["eval"] = "error"
            return out
        if kind == "marker":
            m = Marker(q["s"])
            try:
                return {"ok": True, "value": m.evaluate(dict(q["env"], extra=q["extra"]))}
            except Exception:
                return {"ok": True, "value": "error"}
        if kind == "tags":
            return {"ok": True, "tags": target_tags(q)}
        if kind == "platform":
            return {"ok": True, "tags": expand_platform(q["s"])}
        if kind == "wheelname":
            name, version, build, tagset = parse_wheel_filename(q["s"])
            return {"ok": True, "name": name, "version": str(version),
                    "build": [build[0], build[1]] if build else None,
                    "tags": sorted(str(t) for t in tagset)}
        if kind == "sdistname":
            name, version = parse_sdist_filename(q["s"])
            return {"ok": True, "name": name, "version": str(version)}
    except Exception as e:  # parse failure of the input: the answer is "not valid"
        return {"ok": False, "error": type(e).__name__}
    raise ValueError("unknown kind " + kind)


def main():
    if packaging.__version__ != REQUIRED:
        sys.exit("packaging %s is required, found %s" % (REQUIRED, packaging.__version__))
    with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
        for line in src:
            out.write(json.dumps(answer(json.loads(line)), sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
