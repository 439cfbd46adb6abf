"""pybundle's cluster probe: describes the Python interpreter that runs it, as JSON.

    python3 probe.py > cluster.json            on an edge node or any cluster machine
    spark-submit probe.py --executors 4        on the executors, as a PySpark job: one description
                                               per distinct node configuration, with how many saw it

Give the file to pybundle as <target><environmentFile>cluster.json</environmentFile>: the Python version, ABI,
platform, marker environment and installed distributions become the build's target and <provided> packages.
Runs on Python 2.7 and 3.x with the standard library only.
"""
from __future__ import print_function

import json
import os
import platform
import re
import sys

try:
    import sysconfig
except ImportError:  # pragma: no cover
    sysconfig = None


def _config_var(name):
    return sysconfig.get_config_var(name) if sysconfig else None


def _glibc():
    text = None
    try:
        text = os.confstr("CS_GNU_LIBC_VERSION")  # e.g. "glibc 2.17"
    except (AttributeError, ValueError, OSError):
        pass
    if not text:  # Python 2.7 lacks the name: ask the C library itself
        try:
            import ctypes
            fn = ctypes.CDLL(None).gnu_get_libc_version
            fn.restype = ctypes.c_char_p
            text = "glibc " + fn().decode("ascii")
        except (ImportError, OSError, AttributeError):
            return None
    m = re.match(r"glibc (\d+)\.(\d+)", text or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def _musl():
    import glob
    import subprocess
    for loader in glob.glob("/lib/ld-musl-*.so.1"):
        try:
            out = subprocess.Popen([loader], stderr=subprocess.PIPE, stdout=subprocess.PIPE).communicate()[1]
        except OSError:
            continue
        m = re.search(r"Version (\d+)\.(\d+)", out.decode("utf-8", "replace"))
        if m:
            return (int(m.group(1)), int(m.group(2)))
    return None


def _implementation():
    name = platform.python_implementation().lower()
    return {"cpython": "cp", "pypy": "pp"}.get(name, name[:2])


def _abis(impl, major, minor):
    if impl != "cp":
        soabi = _config_var("SOABI") or ""
        return [soabi.replace("-", "_").replace(".", "_")] if soabi else []
    flags = ""
    if _config_var("Py_DEBUG"):
        flags += "d"
    if (major, minor) >= (3, 13) and _config_var("Py_GIL_DISABLED"):
        flags = "t" + flags
    if (major, minor) < (3, 8):
        if _config_var("WITH_PYMALLOC") in (None, 1):
            flags += "m"
        if (major, minor) < (3, 3) and sys.maxunicode == 0x10FFFF:
            flags += "u"
    return ["cp%d%d%s" % (major, minor, flags)]


def _platforms():
    machine = platform.machine()
    if sys.platform.startswith("linux"):
        arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine.lower(), machine)
        if arch in ("i386", "i586", "i686") or (arch == "x86_64" and sys.maxsize <= 2 ** 32):
            arch = "i686"
        musl = _musl()
        if musl:
            return ["musllinux_%d_%d_%s" % (musl[0], musl[1], arch)]
        glibc = _glibc()
        if glibc:
            return ["manylinux_%d_%d_%s" % (glibc[0], glibc[1], arch)]
        return ["linux_%s" % arch]
    if sys.platform == "darwin":
        release = platform.mac_ver()[0].split(".")
        major = int(release[0])
        return ["macosx_%d_%d_%s" % (major, 0 if major >= 11 else int(release[1]), machine)]
    if sys.platform == "win32":
        return ["win_amd64" if machine.lower() in ("amd64", "x86_64") else "win32"]
    return [re.sub(r"[-.]", "_", sysconfig.get_platform() if sysconfig else sys.platform)]


def _markers():
    impl = getattr(sys, "implementation", None)
    if impl is not None:
        v = impl.version
        impl_version = "%d.%d.%d" % (v.major, v.minor, v.micro)
        if v.releaselevel != "final":
            impl_version += v.releaselevel[0] + str(v.serial)
        impl_name = impl.name
    else:
        impl_version, impl_name = "0", ""
    return {
        "implementation_name": impl_name,
        "implementation_version": impl_version,
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_python_implementation": platform.python_implementation(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }


def _read_header(path, field):
    try:
        with open(path, "rb") as f:
            for raw in f:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if not line:
                    break
                if line.lower().startswith(field.lower() + ":"):
                    return line.split(":", 1)[1].strip()
    except (IOError, OSError):
        pass
    return None


def _distributions():
    found = {}
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue
        for name in sorted(os.listdir(entry)):
            if name.endswith(".dist-info"):
                meta = os.path.join(entry, name, "METADATA")
            elif name.endswith(".egg-info"):
                meta = os.path.join(entry, name, "PKG-INFO") if os.path.isdir(os.path.join(entry, name)) \
                    else os.path.join(entry, name)
            else:
                continue
            dist, version = _read_header(meta, "Name"), _read_header(meta, "Version")
            if dist and version:
                found.setdefault(re.sub(r"[-_.]+", "-", dist).lower(), version)
    return found


def describe():
    major, minor = sys.version_info[0], sys.version_info[1]
    impl = _implementation()
    return {
        "probe": 1,
        "implementation": impl,
        "python_version": "%d.%d" % (major, minor),
        "python_full_version": platform.python_version(),
        "abis": _abis(impl, major, minor),
        "platforms": _platforms(),
        "markers": _markers(),
        "distributions": _distributions(),
    }


def _on_executors(count):
    from pyspark.sql import SparkSession
    spark = SparkSession.builder.appName("pybundle-probe").getOrCreate()
    try:
        seen = spark.sparkContext.parallelize(range(count), count).map(
            lambda _: json.dumps(describe(), sort_keys=True)).countByValue()
    finally:
        spark.stop()
    nodes = [dict(json.loads(k), nodes=v) for k, v in sorted(seen.items(), key=lambda kv: -kv[1])]
    result = dict(nodes[0])
    result["nodes"] = nodes  # more than one entry: the executors differ; the first is the most common
    return result


def main(argv):
    if "--executors" in argv:
        out = _on_executors(int(argv[argv.index("--executors") + 1]))
    else:
        out = describe()
    print(json.dumps(out, indent=2, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
