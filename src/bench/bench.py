#!/usr/bin/env python3
"""pybundle's benchmark: the same requirement sets built by pybundle and by what users would otherwise pick.

    python3 src/bench/bench.py                      # every set, 5 runs each, writes docs/benchmarks.md

Every tool reads the same wheel files from the same loopback HTTP index (PEP 503 pages with PEP 658 metadata), a
mirror the benchmark fills once from the public index. Each builds, for the host's CPython (the target of every
tool here, so that every output can be run and checked), an environment of the set:

  pybundle   mvn package with the plugin (cold cache, warm cache, no-op rebuild), layout environment
  pip        pip download + python -m venv + pip install + venv-pack
  uv         uv pip install --target + tar czf
  pex        pex --platform (a .pex file)

Reported: wall time (median, min-max), CPU time and peak RSS of the process tree, output size, and each
alternative's wall time as a multiple of pybundle's cold build in the same run; pybundle's own time split into
resolve / download / assemble, as its goal reports it. Only the Python standard library is used; the alternatives are
installed from the package index into the benchmark's own virtualenv.
"""
import argparse
import hashlib
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import threading
import time
import tomllib
import urllib.parse
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = {"uv": "0.13.9", "pex": "2.105.2", "venv-pack": "0.2.0"}
SETS = {
    "small": {"requirements": ["requests"], "imports": ["requests"]},
    "medium": {"requirements": ["pandas", "scikit-learn", "pyarrow"], "imports": ["pandas", "sklearn", "pyarrow"]},
    "large": {"requirements": ["torch", "pandas", "scikit-learn", "pyarrow"],
              "imports": ["torch", "pandas", "sklearn", "pyarrow"]},
}
PLATFORM = "manylinux_2_28_x86_64"
PY = f"{sys.version_info[0]}.{sys.version_info[1]}"
CP = f"cp{sys.version_info[0]}{sys.version_info[1]}"
HEAP_LIMIT_MB = 256


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def clean_env(**extra):
    """The environment of every measured command: no pip configuration of this machine, so all read the mirror."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "PEX_", "MAVEN_OPTS"))}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.update(extra)
    return env


class Measured:
    def __init__(self):
        self.wall = 0.0
        self.cpu = 0.0
        self.rss_kb = 0
        self.output = ""
        self.load_before = None  # the 1-minute load average when the measurement started, and when it ended
        self.load_after = None

    def produced(self, path):
        """Records what the build wrote."""
        self.size = path.stat().st_size
        self.archive = path
        return self


def run(cmd, cwd=None, env=None, measured=None, check=True):
    """Runs a command; adds its wall time, CPU time and peak RSS (itself and the children it waited for)."""
    if measured is not None and measured.load_before is None:
        measured.load_before = os.getloadavg()[0]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = bytearray()
    reader = threading.Thread(target=lambda: out.extend(p.stdout.read()))
    reader.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    reader.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    text = out.decode("utf-8", "replace")
    if measured is not None:
        measured.load_after = os.getloadavg()[0]
        measured.wall += wall
        measured.cpu += ru.ru_utime + ru.ru_stime
        measured.rss_kb = max(measured.rss_kb, ru.ru_maxrss)
        measured.output += text
    if check and p.returncode != 0:
        raise Failed(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{text[-4000:]}")
    return text


class Failed(Exception):
    """A measured command failed: an alternative's failure is reported in the table, pybundle's ends the run."""


# ---------------------------------------------------------------------------------------------------------------
# The mirror and its loopback index


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def fill_mirror(work, sets):
    files = work / "mirror" / "files"
    files.mkdir(parents=True, exist_ok=True)
    for name in sets:
        reqs = SETS[name]["requirements"]
        log(f"mirror: pip download {' '.join(reqs)} (skips files already there)")
        # The machine's pip configuration (index, certificates) is how the public index is reached: keep it here.
        run([sys.executable, "-m", "pip", "download", "--only-binary=:all:", "--python-version", PY,
             "--implementation", "cp", "--abi", CP, "--platform", PLATFORM, "--platform", "manylinux2014_x86_64",
             "-d", str(files)] + reqs, env={**os.environ, "PIP_FIND_LINKS": ""})
    write_index(work / "mirror")


def write_index(mirror):
    """PEP 503 pages for every wheel in mirror/files, with requires-python and PEP 658/714 metadata files."""
    projects = {}
    for whl in sorted((mirror / "files").glob("*.whl")):
        meta = whl.with_name(whl.name + ".metadata")
        if not meta.exists():
            with zipfile.ZipFile(whl) as z:
                name = next(n for n in z.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
                meta.write_bytes(z.read(name))
        text = meta.read_text("utf-8", "replace")
        m = re.search(r"^Requires-Python:\s*(.+)$", text, re.M)
        sha = sha256(whl)
        projects.setdefault(normalize(whl.name.split("-")[0]), []).append(
            (whl.name, sha, sha256(meta), m.group(1).strip() if m else None))
    simple = mirror / "simple"
    shutil.rmtree(simple, ignore_errors=True)
    for project, wheels in projects.items():
        d = simple / project
        d.mkdir(parents=True)
        links = []
        for name, sha, meta_sha, rp in wheels:
            attrs = f' data-dist-info-metadata="sha256={meta_sha}" data-core-metadata="sha256={meta_sha}"'
            if rp:
                attrs += ' data-requires-python="' + rp.replace("&", "&amp;").replace("<", "&lt;").replace(
                    ">", "&gt;").replace('"', "&quot;") + '"'
            links.append(f'<a href="../../files/{urllib.parse.quote(name)}#sha256={sha}"{attrs}>{name}</a><br/>')
        (d / "index.html").write_text("<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n")
    (simple / "index.html").write_text("<!DOCTYPE html><html><body>\n" + "\n".join(
        f'<a href="{p}/">{p}</a><br/>' for p in sorted(projects)) + "\n</body></html>\n")


_sha_cache = {}


def sha256(path):
    key = (str(path), path.stat().st_mtime_ns, path.stat().st_size)
    if key not in _sha_cache:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        _sha_cache[key] = h.hexdigest()
    return _sha_cache[key]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Index:
    """The mirror served on 127.0.0.1 by a threaded HTTP server, for the duration of the benchmark."""

    def __init__(self, mirror):
        handler = lambda *a, **k: Quiet(*a, directory=str(mirror), **k)  # noqa: E731
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/simple/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------------------------------------------------------
# The tools


def tools_venv(work):
    venv = work / "tools"
    marker = venv / "installed.json"
    if not marker.exists() or json.loads(marker.read_text()) != TOOLS:
        log("installing uv, pex and venv-pack into the benchmark's own virtualenv")
        shutil.rmtree(venv, ignore_errors=True)
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(venv / "bin/pip"), "install", "-q"] + [f"{k}=={v}" for k, v in TOOLS.items()])
        marker.write_text(json.dumps(TOOLS))
    return venv


def versions(venv):
    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, env=clean_env()).stdout.strip()
        except OSError:
            return "?"
        return out.splitlines()[0] if out else "?"

    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    mvn = first_line(["mvn", "-v"])
    return {
        "pybundle": plugin_version(),
        "java": java,
        "maven": re.sub(r"\x1b\[[0-9;]*m", "", mvn),
        "python": sys.version.split()[0],
        "pip": first_line([str(venv / "bin/pip"), "--version"]).split(" from ")[0],
        "uv": first_line([str(venv / "bin/uv"), "--version"]),
        "pex": first_line([str(venv / "bin/pex"), "--version"]),
        "venv-pack": first_line([str(venv / "bin/venv-pack"), "--version"]),
        "tar": first_line(["tar", "--version"]),
        "gzip": first_line(["gzip", "--version"]),
    }


def plugin_version():
    return re.search(r"<version>([^<]+)</version>", (ROOT / "pom.xml").read_text()).group(1)


def machine():
    cpu = "?"
    try:
        cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M).group(1)
    except (OSError, AttributeError):
        pass
    mem = "?"
    try:
        kb = int(re.search(r"^MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text(), re.M).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    return {"os": f"{platform.system()} {platform.release()}", "cpu": cpu, "cores": os.cpu_count(), "memory": mem}


# ---------------------------------------------------------------------------------------------------------------
# The builds


POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>bench-{set}</artifactId>
  <version>1.0.0</version>
  <packaging>pom</packaging>
  <properties>
    <project.build.outputTimestamp>2024-01-01T00:00:00Z</project.build.outputTimestamp>
  </properties>
  <build>
    <plugins>
      <plugin>
        <groupId>io.github.pybundle</groupId>
        <artifactId>pybundle-maven-plugin</artifactId>
        <version>{version}</version>
        <configuration>
          <requirements>{requirements}</requirements>
          <target>
            <pythonVersion>{py}</pythonVersion>
            <platforms><platform>{platform}</platform></platforms>
          </target>
          <layout>environment</layout>
          <indexUrl>{index}</indexUrl>
          <cacheDirectory>{cache}</cacheDirectory>
        </configuration>
        <executions><execution><goals><goal>bundle</goal></goals></execution></executions>
      </plugin>
    </plugins>
  </build>
</project>
"""

PHASES = re.compile(r"Time in pybundle:bundle: ([\d.]+) s(?: \(([^)]*)\))?")
WORK = re.compile(r"Work behind the phases, summed over threads \(times run\): (.*)")
JVM = re.compile(r"The JVM during pybundle:bundle: (.*)")


def read_timing(m):
    """The goal's time, its phases and (-Dpybundle.timings) the work behind them, from a build's output."""
    found = PHASES.search(m.output)
    if not found:
        raise Failed("pybundle did not report its time:\n" + m.output[-3000:])
    m.goal = float(found.group(1))
    m.phases = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) s", found.group(2) or "")}
    work = WORK.search(m.output)
    m.work = {k.strip(): float(v) for k, v in re.findall(r"([a-z ]+?) ([\d.]+) s \(\d+\)", work.group(1))} \
        if work else {}
    jvm = JVM.search(m.output)  # every thread of the JVM during the goal: CPU, JIT compiler busy, GC
    m.jvm = {k.strip(): float(v) for k, v in re.findall(r"([A-Za-z ]+?) ([\d.]+) s", jvm.group(1))} if jvm else {}
    return m


def jvm_median(ms, kind):
    """The median of what the JVM spent during the goal (all its threads), or a dash where it was not reported."""
    values = [m.jvm[kind] for m in ms if kind in getattr(m, "jvm", {})]
    return f"{statistics.median(values):.2f} s" if values else "–"


def work_line(ms, label):
    """The median of each kind of work behind the phases, over the runs, as one line of the report."""
    kinds = [k for k in ms[0].work] if ms and getattr(ms[0], "work", None) else []
    if not kinds:
        return []
    parts = ", ".join(f"{k} {statistics.median(m.work.get(k, 0.0) for m in ms):.2f} s" for k in kinds)
    jvm = (f" Meanwhile the whole JVM (the JIT compiler's and the garbage collector's threads too) used"
           f" {jvm_median(ms, 'CPU')} of CPU, and its JIT compiler threads were busy for"
           f" {jvm_median(ms, 'JIT compiler busy')}." if any(getattr(m, "jvm", None) for m in ms) else "")
    return ["", f"{label}, the work behind the phases (`-Dpybundle.timings`; median seconds, summed over the threads"
            f" that did it, so more than the wall time where threads ran at once): {parts}.{jvm}"]


def pybundle_project(work, name, index):
    d = work / "runs" / f"pybundle-{name}"
    shutil.rmtree(d, ignore_errors=True)
    (d / "src/main/python").mkdir(parents=True)
    (d / "src/main/python/main.py").write_text("print('bench')\n")
    (d / "pom.xml").write_text(POM.format(
        set=name, version=plugin_version(), py=PY, platform=PLATFORM, index=index.url, cache=d / "cache",
        requirements="".join(f"<requirement>{r}</requirement>" for r in SETS[name]["requirements"])))
    return d


def pybundle(d, state):
    """One mvn package; state is cold (no cache, no lock, no target), warm (cache and lock kept) or noop."""
    if state == "cold":
        for p in ("cache", "target", "pylock.toml"):
            shutil.rmtree(d / p, ignore_errors=True) if (d / p).is_dir() else (d / p).unlink(missing_ok=True)
    elif state == "warm":
        shutil.rmtree(d / "target", ignore_errors=True)
    gc_log = d / f"gc-{state}.log"
    m = Measured()
    run(["mvn", "-B", "-nsu", "package", "-Dpybundle.timings"], cwd=d, measured=m, env=clean_env(
        MAVEN_OPTS=f"-Xmx{HEAP_LIMIT_MB}m -Xlog:gc:file={gc_log}"))
    try:
        read_timing(m)
    except Failed as e:
        sys.exit(f"bench: {e}")
    m.heap_mb = peak_heap_mb(gc_log)
    archive = d / "target" / f"bench-{d.name.split('-', 1)[1]}-1.0.0-pyenv.tar.gz"
    m.produced(archive)
    if state == "noop" and "Bundle unchanged" not in m.output:
        sys.exit("bench: the no-op rebuild rebuilt the bundle:\n" + m.output[-3000:])
    return m


def peak_heap_mb(gc_log):
    """The largest heap occupancy the JVM's GC log shows (before a collection), in MB."""
    peak = 0
    if gc_log.exists():
        for before, unit in re.findall(r"(\d+)([KMG])->\d+[KMG]\(\d+[KMG]\)", gc_log.read_text()):
            peak = max(peak, int(before) * {"K": 1 / 1024, "M": 1, "G": 1024}[unit])
    return peak


def alt_pip(work, name, index, venv):
    d = fresh(work / "runs" / f"pip-{name}")
    m = Measured()
    env = clean_env(PIP_NO_CACHE_DIR="1")
    run([str(venv / "bin/pip"), "download", "-q", "--index-url", index.url, "-d", str(d / "dl")]
        + SETS[name]["requirements"], env=env, measured=m)
    run([sys.executable, "-m", "venv", str(d / "env")], env=env, measured=m)
    run([str(d / "env/bin/pip"), "install", "-q", "--no-index", "--find-links", str(d / "dl")]
        + SETS[name]["requirements"], env=env, measured=m)
    out = d / "env.tar.gz"
    run([str(venv / "bin/venv-pack"), "-p", str(d / "env"), "-o", str(out), "-q"], env=env, measured=m)
    return m.produced(out)


def alt_uv(work, name, index, venv):
    d = fresh(work / "runs" / f"uv-{name}")
    m = Measured()
    env = clean_env(UV_CACHE_DIR=str(d / "cache"), UV_NO_CONFIG="1")
    run([str(venv / "bin/uv"), "pip", "install", "-q", "--index-url", index.url, "--python", sys.executable,
         "--python-platform", "x86_64-manylinux_2_28", "--target", str(d / "target")]
        + SETS[name]["requirements"], env=env, measured=m)
    out = d / "env.tar.gz"
    run(["tar", "czf", str(out), "-C", str(d / "target"), "."], env=env, measured=m)
    return m.produced(out)


def alt_pex(work, name, index, venv):
    d = fresh(work / "runs" / f"pex-{name}")
    m = Measured()
    env = clean_env()
    out = d / "env.pex"
    run([str(venv / "bin/pex"), "--pex-root", str(d / "pex-root"), "--no-pypi", "--index-url", index.url,
         "--complete-platform", str(pex_platform(work, venv)), "-o", str(out)]
        + SETS[name]["requirements"], env=env, measured=m)
    return m.produced(out)


def pex_platform(work, venv):
    """The target for pex: this interpreter's markers and tags, manylinux capped at the target's 2_28.

    pex's plain --platform manylinux_2_28_x86_64 is read by its vendored pip 20.3, which does not widen it to the
    older manylinux tags that torch's nvidia dependencies carry; a complete platform lists every tag.
    """
    out = work / "pex-platform.json"
    if not out.exists():
        spec = json.loads(run([str(venv / "bin/pex3"), "interpreter", "inspect", "--python", sys.executable,
                               "--markers", "--tags"], env=clean_env()))
        cap = int(PLATFORM.split("_")[2])
        spec["compatible_tags"] = [t for t in spec["compatible_tags"]
                                   if not (m := re.search(r"manylinux_2_(\d+)_", t)) or int(m.group(1)) <= cap]
        out.write_text(json.dumps(spec))
    return out


def busy_threshold():
    """A 1-minute load average above this means something besides the benchmark ran (the benchmark's own previous
    build keeps the average up to about the number of cores for a while)."""
    return (os.cpu_count() or 1) + 0.5


def measure(build, label):
    """Runs build() once; again (once) when the machine was busy with something else when it started."""
    m = build()
    if m.load_before is not None and m.load_before > busy_threshold():
        log(f"{label}: load {m.load_before:.2f} when it started (above {busy_threshold():.1f}): waiting, then again")
        deadline = time.monotonic() + 60
        while os.getloadavg()[0] > busy_threshold() and time.monotonic() < deadline:
            time.sleep(5)
        again = build()
        again.repeated_after_load = m.load_before
        return again
    return m


def fresh(d):
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d


def smoke(tool, m, imports, work):
    """Checks once per tool and set that what was built runs and imports the set (not timed)."""
    stmt = "; ".join(f"import {i}" for i in imports) + "; print('ok')"
    env = clean_env()
    if tool == "pex":
        out = run([sys.executable, str(m.archive), "-c", stmt], env=env, check=False)
    else:
        d = fresh(work / "runs" / f"smoke-{tool}")
        run(["tar", "xzf", str(m.archive), "-C", str(d)])
        if tool == "uv":
            out = run([sys.executable, "-c", stmt], env={**env, "PYTHONPATH": str(d)}, check=False)
        else:
            out = run([str(d / "bin/python"), "-c", stmt], env=env, check=False)
        shutil.rmtree(d, ignore_errors=True)
    ok = out.strip().endswith("ok")
    if not ok:
        log(f"smoke test of {tool} failed: {out[-500:]}")
    return ok


def copy_baseline(work, d):
    """Copies the wheels in pybundle's lock once on the same disk: what a warm build cannot beat."""
    lock = tomllib.loads((d / "pylock.toml").read_text())
    names = [w["name"] for p in lock["packages"] for w in p.get("wheels", [])]
    src = work / "mirror" / "files"
    dest = fresh(work / "runs" / "copy")
    m = Measured()
    run(["cp"] + [str(src / n) for n in names] + [str(dest)], measured=m)
    m.size = sum((src / n).stat().st_size for n in names)
    m.count = len(names)
    shutil.rmtree(dest, ignore_errors=True)
    return m


def check_floor(work, d):
    """What checking every file of the set's wheels costs at the least: inflating each deflated entry and hashing it
    (sha256), on one core, with Python's zlib and hashlib. The wheel checks of a cold build do this and more (CRC-32,
    sizes, ELF files), so it is a floor, not an estimate."""
    lock = tomllib.loads((d / "pylock.toml").read_text())
    names = [w["name"] for p in lock["packages"] for w in p.get("wheels", [])]
    inflated = 0
    t_inflate = t_sha = 0.0
    for n in names:
        path = work / "mirror" / "files" / n
        with zipfile.ZipFile(path) as z, open(path, "rb") as raw:
            for info in z.infolist():
                inflated += info.file_size
                if info.compress_type != zipfile.ZIP_DEFLATED:
                    continue
                raw.seek(info.header_offset)
                header = raw.read(30)
                raw.seek(info.header_offset + 30 + int.from_bytes(header[26:28], "little")
                         + int.from_bytes(header[28:30], "little"))
                d_obj, left, sha = zlib.decompressobj(-15), info.compress_size, hashlib.sha256()
                while left:
                    chunk = raw.read(min(left, 1 << 20))
                    left -= len(chunk)
                    t0 = time.perf_counter()
                    out = d_obj.decompress(chunk)
                    t1 = time.perf_counter()
                    sha.update(out)
                    t_inflate += t1 - t0
                    t_sha += time.perf_counter() - t1
    return {"inflated": inflated, "inflate": t_inflate, "sha256": t_sha, "zlib": zlib.ZLIB_RUNTIME_VERSION}


def floor_line(floor, cores):
    both = floor["inflate"] + floor["sha256"]
    return [f"Checking every file, what a cold build must do whatever else it saves: the wheels inflate to"
            f" {human(floor['inflated'])}; Python's zlib {floor['zlib']} inflates them in {floor['inflate']:.1f} s on"
            f" one core and sha256 hashes them in {floor['sha256']:.1f} s, so on this machine's {cores} cores no cold"
            f" build can take less than {both / cores:.1f} s (the JVM's java.util.zip uses the same kind of zlib;"
            f" pybundle also checks CRC-32s, sizes and ELF files).", ""]


# ---------------------------------------------------------------------------------------------------------------
# Against the real package index (depends on the network)

RESOLVE_SET = ["jupyter"]


def real_env():
    """This machine's pip configuration (the index and certificates pybundle honours as pip does), no Maven options."""
    return {k: v for k, v in os.environ.items() if not k.startswith("MAVEN_OPTS")}


def real_project(work, requirements, name):
    d = work / "runs" / f"real-{name}"
    shutil.rmtree(d, ignore_errors=True)
    (d / "src/main/python").mkdir(parents=True)
    (d / "src/main/python/main.py").write_text("print('bench')\n")
    pom = POM.format(set=f"real-{name}", version=plugin_version(), py=PY, platform=PLATFORM, index="", cache=d / "cache",
                     requirements="".join(f"<requirement>{r}</requirement>" for r in requirements))
    (d / "pom.xml").write_text(pom.replace("<indexUrl></indexUrl>", ""))
    return d


def real_pybundle(d):
    """mvn package on a cold cache against the index this machine's pip uses."""
    for p in ("cache", "target", "pylock.toml"):
        shutil.rmtree(d / p, ignore_errors=True) if (d / p).is_dir() else (d / p).unlink(missing_ok=True)
    m = Measured()
    run(["mvn", "-B", "-nsu", "package", "-Dpybundle.timings"], cwd=d, measured=m,
        env={**real_env(), "MAVEN_OPTS": f"-Xmx{HEAP_LIMIT_MB}m"})
    read_timing(m)
    m.fetch = m.phases.get("resolve", 0.0) + m.phases.get("download", 0.0)
    return m


def real_uv(work, venv, requirements):
    d = fresh(work / "runs" / "real-uv")
    m = Measured()
    run([str(venv / "bin/uv"), "pip", "install", "-q", "--no-cache", "--python-platform", "x86_64-manylinux_2_28",
         "--python-version", PY, "--target", str(d / "target")] + requirements, env=real_env(), measured=m)
    shutil.rmtree(d, ignore_errors=True)
    return m


def real_pip(work, venv, requirements):
    d = fresh(work / "runs" / "real-pip")
    m = Measured()
    run([str(venv / "bin/pip"), "download", "-q", "--no-cache-dir", "--only-binary=:all:", "--platform", PLATFORM,
         "--python-version", PY, "-d", str(d / "dl")] + requirements, env=real_env(), measured=m)
    shutil.rmtree(d, ignore_errors=True)
    return m


def resolve_pybundle(d):
    """pybundle:lock on a cold cache: the resolution alone, as the goal reports it."""
    for p in ("cache", "target", "pylock.toml"):
        shutil.rmtree(d / p, ignore_errors=True) if (d / p).is_dir() else (d / p).unlink(missing_ok=True)
    m = Measured()
    run(["mvn", "-B", "-nsu", f"io.github.pybundle:pybundle-maven-plugin:{plugin_version()}:lock"], cwd=d, measured=m,
        env={**real_env(), "MAVEN_OPTS": f"-Xmx{HEAP_LIMIT_MB}m"})
    found = re.search(r"Resolved (\d+) packages for .* in ([\d.]+) s", m.output)
    if not found:
        raise Failed("pybundle did not report its resolution:\n" + m.output[-3000:])
    m.packages, m.resolve = int(found.group(1)), float(found.group(2))
    return m


def resolve_uv(work, venv, requirements):
    d = fresh(work / "runs" / "resolve-uv")
    (d / "requirements.in").write_text("\n".join(requirements) + "\n")
    m = Measured()
    out = run([str(venv / "bin/uv"), "pip", "compile", "-q", "--no-cache", "--python-platform", "x86_64-manylinux_2_28",
               "--python-version", PY, "--no-header", "--no-annotate", str(d / "requirements.in")], env=real_env(),
              measured=m)
    m.packages = sum(1 for line in out.splitlines() if "==" in line)
    shutil.rmtree(d, ignore_errors=True)
    return m


def real_index(work, venv, runs):
    """The medium set from the real index, and a resolution of a ~100-package set: alternating runs, cold caches."""
    r = {"pybundle": [], "uv": [], "pip": [], "resolve-pybundle": [], "resolve-uv": []}
    req = SETS["medium"]["requirements"]
    d = real_project(work, req, "medium")
    rd = real_project(work, RESOLVE_SET, "resolve")
    for i in range(runs):
        for key, build in (("pybundle", lambda: real_pybundle(d)), ("uv", lambda: real_uv(work, venv, req)),
                           ("pip", lambda: real_pip(work, venv, req)),
                           ("resolve-pybundle", lambda: resolve_pybundle(rd)),
                           ("resolve-uv", lambda: resolve_uv(work, venv, RESOLVE_SET))):
            try:
                m = measure(build, f"real index {key} #{i + 1}")
            except Failed as e:
                log(f"real index {key} #{i + 1} FAILED: {e}")
                r.setdefault("failed", {})[key] = str(e).strip().splitlines()[-1][:300]
                continue
            r[key].append(m)
            log(f"real index {key} #{i + 1}: {m.wall:.2f} s" + (f" (resolve + download {m.fetch:.2f} s)"
                                                                 if key == "pybundle" else ""))
    shutil.rmtree(d, ignore_errors=True)
    shutil.rmtree(rd, ignore_errors=True)
    return r


# ---------------------------------------------------------------------------------------------------------------
# Charts: SVG the script draws itself


def svg_open(width, height, title):
    """The first lines of a chart: the SVG element and its title."""
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif"'
            f' font-size="12">', f'<text x="10" y="22" font-weight="bold">{title}</text>']


def svg_bars(title, groups, unit="s"):
    """Horizontal bars, one group per set, each group on its own scale (sets differ by 100x); [(group, [(label,
    value, kind)])] where kind picks the colour."""
    colours = {"pybundle": "#2b6cb0", "other": "#a0aec0", "floor": "#68d391"}
    row_h, label_w, bar_w, pad = 18, 170, 420, 10
    height = pad * 2 + 24 + sum(22 + row_h * len(rows) + 8 for _, rows in groups)
    out = svg_open(label_w + bar_w + 120, height, title)
    y = pad + 24
    for group, rows in groups:
        out.append(f'<text x="{pad}" y="{y + 14}" font-weight="bold">{group}</text>')
        y += 22
        top = max(v for _, v, _ in rows) or 1
        for label, value, kind in rows:
            w = max(1, bar_w * value / top)
            out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{label}</text>')
            out.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 4}"'
                       f' fill="{colours.get(kind, colours["other"])}"/>')
            out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{value:.2f} {unit}</text>')
            y += row_h
        y += 8
    out.append("</svg>")
    return "\n".join(out) + "\n"


def svg_stacked(title, rows, parts):
    """Stacked horizontal bars on one scale: [(label, {part: seconds})], parts in order with colours."""
    colours = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#a0aec0"]
    row_h, label_w, bar_w, pad = 20, 150, 460, 10
    top = max(sum(v.values()) for _, v in rows) or 1
    height = pad * 2 + 24 + row_h * len(rows) + 30
    out = svg_open(label_w + bar_w + 90, height, title)
    y = pad + 24
    for label, values in rows:
        out.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{label}</text>')
        x = label_w
        for i, part in enumerate(parts):
            w = bar_w * values.get(part, 0.0) / top
            if w > 0:
                out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}"'
                           f' fill="{colours[i % len(colours)]}"><title>{part} {values.get(part, 0.0):.3f} s</title>'
                           f'</rect>')
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 14}">{sum(values.values()):.2f} s</text>')
        y += row_h
    x = label_w
    for i, part in enumerate(parts):
        out.append(f'<rect x="{x}" y="{y + 8}" width="10" height="10" fill="{colours[i % len(colours)]}"/>')
        out.append(f'<text x="{x + 14}" y="{y + 17}">{part}</text>')
        x += 14 + 8 * len(part) + 16
    out.append("</svg>")
    return "\n".join(out) + "\n"


def charts(results, real, out_dir):
    """Writes the charts beside the report; returns their file names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    groups = []
    for name, r in results.items():
        rows = []
        for key in ("pybundle-cold", "pybundle-warm", "pybundle-noop", "pip", "uv", "pex", "copy"):
            if r.get(key):
                kind = "pybundle" if key.startswith("pybundle") else "floor" if key == "copy" else "other"
                rows.append((key.replace("-", " "), summary(r[key])["median"], kind))
        groups.append((f"{name}: {', '.join(SETS[name]['requirements'])}", rows))
    if real and real.get("pybundle"):
        rows = [("pybundle resolve+download", statistics.median(m.fetch for m in real["pybundle"]), "pybundle"),
                ("pybundle mvn package", summary(real["pybundle"])["median"], "pybundle")]
        for key, label in (("uv", "uv pip install --target"), ("pip", "pip download")):
            if real.get(key):
                rows.append((label, summary(real[key])["median"], "other"))
        groups.append(("real index: medium set (network)", rows))
    (out_dir / "benchmarks-wall.svg").write_text(svg_bars("Wall time, median (each group on its own scale)", groups))
    parts = ["resolve", "download", "assemble", "other"]
    rows = []
    for name, r in results.items():
        for state in ("cold", "warm", "noop"):
            ms = r[f"pybundle-{state}"]
            phase = {p: statistics.median(m.phases.get(p, 0.0) for m in ms) for p in parts[:3]}
            phase["other"] = max(0.0, statistics.median(m.goal for m in ms) - sum(phase.values()))
            rows.append((f"{name} {state}", phase))
    (out_dir / "benchmarks-phases.svg").write_text(svg_stacked("pybundle's goal by phase, median seconds", rows,
                                                               parts))
    return ["benchmarks-wall.svg", "benchmarks-phases.svg"]


# ---------------------------------------------------------------------------------------------------------------
# The report


def summary(ms, attr="wall"):
    v = [getattr(m, attr) for m in ms]
    return {"median": statistics.median(v), "min": min(v), "max": max(v), "runs": len(v)}


def human(n):
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1000


def fmt(s):
    return f"{s['median']:.2f} s ({s['min']:.2f}–{s['max']:.2f}, {s['runs']} runs)"


def load_range(ms):
    loads = [m.load_before for m in ms if m.load_before is not None]
    return f"{min(loads):.2f}–{max(loads):.2f}" if loads else "?"


def report(results, info, args, real=None, chart_files=()):
    lines = [
        "# Benchmarks",
        "",
        "Written by `python3 src/bench/bench.py` (see the README); do not edit by hand. Every number below was measured",
        "in the same run, on the machine described here; compare ratios, not seconds, across machines.",
        "",
        f"- Date: {info['date']}",
        f"- Machine: {info['machine']['os']}, {info['machine']['cpu']}, {info['machine']['cores']} cores,"
        f" {info['machine']['memory']}",
        "- Versions: " + ", ".join(f"{k} {v}" if not v.lower().startswith(k.lower()) else v
                                   for k, v in info["versions"].items()),
        f"- Target of every tool: CPython {PY}, {PLATFORM}; index: the loopback mirror (PEP 503 pages, PEP 658"
        " metadata), filled once from the public index.",
        f"- Runs per measurement: {args.runs} (large set: pybundle {args.large_runs}, the alternatives"
        f" {args.large_alt_runs}); times are median (min–max, runs) of wall time; CPU is the median user+system time"
        " of the whole process tree; RSS is the largest single process's peak.",
        "",
        "What is measured:",
        "",
        "- **pybundle cold**: `mvn package` with an empty cache, no `pylock.toml` and no `target/`: resolve, lock,"
        " download, build the environment archive. **warm**: the cache and the lock kept, `target/` deleted (a CI"
        " build with a cached download directory). **no-op**: `mvn package` again with nothing changed. Maven itself"
        f" (JVM start, project model) is in the wall time; *goal* is the time inside `pybundle:bundle`, as it reports"
        f" it. Every pybundle build runs with `-Xmx{HEAP_LIMIT_MB}m`; *heap* is the peak occupancy its GC log shows.",
        "- **pip**: `pip download` + `python -m venv` + `pip install --no-index` + `venv-pack`, without pip's cache.",
        "- **uv**: `uv pip install --target` (`--python-platform x86_64-manylinux_2_28`) with an empty uv cache,"
        " then `tar czf`.",
        "- **pex**: `pex --complete-platform` (this interpreter's tags, manylinux capped at 2_28; a plain `--platform"
        " manylinux_2_28_x86_64` misses torch's nvidia wheels under pex's own pip 20.3) with an empty pex root, a"
        " `.pex` file.",
        "- **copy**: `cp` of the set's wheel files once, on the same disk (the floor a warm build is held to).",
        f"- **Load**: the 1-minute load average when each build started is recorded; a build that started above"
        f" {busy_threshold():.1f} (something else was running) is run again once, and the second run counts.",
        "",
    ]
    for f in chart_files:
        lines += [f"![{f}]({f})", ""]
    for name, r in results.items():
        cold = summary(r["pybundle-cold"])["median"]
        lines += [f"## {name}: {', '.join(SETS[name]['requirements'])}", "",
                  f"{r['copy'][0].count} wheels, {human(r['copy'][0].size)}.", "",
                  "| Build | Wall | CPU | Peak RSS | Output | vs pybundle cold | Runs the set |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for key in ("pybundle-cold", "pybundle-warm", "pybundle-noop", "pip", "uv", "pex", "copy"):
            ms = r.get(key)
            if not ms:
                continue
            s = summary(ms)
            cpu = statistics.median(m.cpu for m in ms)
            rss = max(m.rss_kb for m in ms) / 1024
            ratio = s["median"] / cold
            ok = r.get("smoke", {}).get(key.split("-")[0], "")
            lines.append(f"| {key.replace('-', ' ')} | {fmt(s)} | {cpu:.1f} s | {rss:.0f} MB |"
                         f" {human(ms[0].size)} | {ratio:.2f}× | {'yes' if ok is True else 'NO' if ok is False else ''} |")
        for tool, why in r.get("failed", {}).items():
            lines.append(f"| {tool} | failed: {why.replace('|', '/')} | | | | | |")
        all_runs = [m for k, v in r.items() if isinstance(v, list) for m in v]
        repeated = sum(1 for m in all_runs if getattr(m, "repeated_after_load", None) is not None)
        lines += ["", f"Load (1-minute average) when the builds started: {load_range(all_runs)}"
                  + (f"; {repeated} build(s) repeated after a busy start." if repeated else ".")]
        lines += ["", "pybundle's goal, by phase (median seconds):", "",
                  "| Build | Goal | Resolve | Download | Assemble | Peak heap | JVM CPU in the goal"
                  " | JIT compiler busy |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for key in ("pybundle-cold", "pybundle-warm", "pybundle-noop"):
            ms = r[key]
            phase = lambda p: statistics.median(m.phases.get(p, 0.0) for m in ms)  # noqa: E731
            lines.append(f"| {key.split('-')[1]} | {statistics.median(m.goal for m in ms):.3f} |"
                         f" {phase('resolve'):.3f} | {phase('download'):.3f} | {phase('assemble'):.3f} |"
                         f" {max(m.heap_mb for m in ms):.0f} MB | {jvm_median(ms, 'CPU')} |"
                         f" {jvm_median(ms, 'JIT compiler busy')} |")
        lines += work_line(r["pybundle-cold"], "Cold")
        lines.append("")
        if r.get("floor"):
            lines += floor_line(r["floor"], info["machine"]["cores"])
    if real:
        lines += real_section(real)
    lines += analysis()
    lines += targets(results, real)
    return "\n".join(lines) + "\n"


def real_section(real):
    lines = ["## Real index (depends on the network)", "",
             f"The medium set ({', '.join(SETS['medium']['requirements'])}) for CPython {PY} / {PLATFORM}, from the"
             " index this machine's pip is configured for, with cold caches, the tools taking turns (pybundle, uv,"
             " pip, then the resolutions), so that a change in the network's speed touches all of them. These numbers"
             " depend on the network and the index's load at the time: compare within the table, not across runs."
             " When the index serves no PEP 658 metadata files (this machine's served none when this was written),"
             " pybundle reads each candidate wheel's METADATA with HTTP range requests: the last 64 KiB, then the"
             " entry when the tail lacks it, as uv does; over HTTPS with pip's CA bundle, whose certificates it"
             " parses only as the servers' chains need them.",
             "",
             "| Build | Wall | resolve + download | vs uv | Load at start |", "| --- | --- | --- | --- | --- |"]
    uv = summary(real["uv"])["median"] if real.get("uv") else None
    if real.get("pybundle"):
        fetch = [m.fetch for m in real["pybundle"]]
        f = {"median": statistics.median(fetch), "min": min(fetch), "max": max(fetch), "runs": len(fetch)}
        ratio = f"{f['median'] / uv:.2f}× (resolve + download)" if uv else "–"
        lines.append(f"| pybundle `mvn package` | {fmt(summary(real['pybundle']))} | {fmt(f)} | {ratio} |"
                     f" {load_range(real['pybundle'])} |")
        work = work_line(real["pybundle"], "pybundle")
    for key, label in (("uv", "`uv pip install --target` (resolves, downloads, unpacks)"),
                       ("pip", "`pip download --only-binary=:all: --platform ...`")):
        if real.get(key):
            s = summary(real[key])
            lines.append(f"| {label} | {fmt(s)} | – | {s['median'] / uv:.2f}× | {load_range(real[key])} |" if uv
                         else f"| {label} | {fmt(s)} | – | – | {load_range(real[key])} |")
    for key, why in real.get("failed", {}).items():
        lines.append(f"| {key} | failed: {why.replace('|', '/')} | | | |")
    if real.get("pybundle"):
        lines += work
    if real.get("resolve-pybundle") and real.get("resolve-uv"):
        p = real["resolve-pybundle"]
        u = real["resolve-uv"]
        res = [m.resolve for m in p]
        rs = {"median": statistics.median(res), "min": min(res), "max": max(res), "runs": len(res)}
        lines += ["", f"Resolution only, `{' '.join(RESOLVE_SET)}` ({p[0].packages} packages for pybundle,"
                  f" {u[0].packages} for uv), empty caches:", "",
                  "| Resolver | Resolution | Wall (whole command) |", "| --- | --- | --- |",
                  f"| pybundle `pybundle:lock` | {fmt(rs)} | {fmt(summary(p))} |",
                  f"| `uv pip compile` | – | {fmt(summary(u))} |"]
    return lines + [""]


def analysis():
    """What the numbers come from: true of every run, so written here rather than derived."""
    return [
        "## Where the time goes",
        "",
        "- pybundle never unpacks a wheel. Each file's deflated bytes are copied into the environment archive as a gzip"
        " member of their own (a `.tar.gz` may be a series of members); only tar headers and the few files pybundle"
        " writes are compressed. The other tools install first (writing the unpacked files, about three times the"
        " wheels' size) and then compress everything again (venv-pack, `tar czf`, pex's zip).",
        "- pybundle checks every file of every wheel against its RECORD (sha256 and size), its CRC-32 and the end of"
        " its deflate stream before it commits an archive, inflating it from the moment the wheel arrives, on one"
        " thread per processor, while the others download and the archive is written (in *download* and"
        " *assemble*). On a"
        " cold cache that is most of pybundle's CPU time: inflating runs at about 240 MB of output per second per"
        " core here (java.util.zip's zlib; 402 MB for the medium set, 1.7 s on one core, plus 0.3 s of sha256), and"
        " the *work* line of each set shows it as *wheel checks*, summed over the threads that did it. The check is"
        " done once per wheel content (a marker beside the cached wheel).",
        "- A warm build with the same lock, sources and settings puts the outputs of the build that made them back"
        " from the cache (hard links), opening no wheel; with other sources or settings it links the environment"
        " and application archives kept for the same wheels and settings.",
        "- A cold build keeps both cores of a 2-core machine busy (*JVM CPU in the goal* is close to twice the goal's"
        " time), and a large part of that CPU is not pybundle's work but the JVM warming up: its JIT compiler threads"
        " compile the code paths a cold build takes for the first time (reading pages, TLS, inflating, hashing,"
        " writing archives) while the build runs (*JIT compiler busy*: the time its compiler threads spent"
        " compiling, CPU they took from the build's own threads). On a machine with more cores the compiler runs"
        " beside the build instead. On at most 2 processors pybundle's JIT focus (docs/bundle.md) keeps HotSpot's"
        " optimising compiler to the JDK's cryptography while a cold build runs, so what remains is mostly the quick"
        " compiler's. A warm or unchanged build runs little code and compiles little.",
        "- The wall time of every pybundle row includes Maven's own start (JVM, project model, plugin loading), about"
        " a second, which no goal can remove; *goal* is the part pybundle controls.",
        "",
    ]


def targets(results, real=None):
    rows = ["## Targets", "", "| Target | Measured | Met |", "| --- | --- | --- |"]

    def row(text, measured, met):
        rows.append(f"| {text} | {measured} | {'yes' if met else '**no**'} |")

    if "medium" in results:
        r = results["medium"]
        cold = summary(r["pybundle-cold"])["median"]
        if r.get("pip"):
            x = summary(r["pip"])["median"] / cold
            row("medium, cold, ≥ 10× faster than venv + pip + venv-pack", f"{x:.1f}×", x >= 10)
        if r.get("uv"):
            x = summary(r["uv"])["median"] / cold
            row("medium, cold, ≥ 5× faster than uv + tar", f"{x:.1f}×", x >= 5)
        warm = statistics.median(m.goal for m in r["pybundle-warm"])
        row("medium, warm: ≤ 0.5 s in the plugin's goal (median)", f"{warm:.2f} s", warm <= 0.5)
        copy = summary(r["copy"])["median"]
        row("medium, warm: within 3× of copying the wheel bytes once (goal time / cp time)",
            f"{warm:.2f} s / {copy:.2f} s = {warm / copy:.1f}×", warm <= 3 * copy)
    for name, r in results.items():
        noop = max(m.goal for m in r["pybundle-noop"])
        row(f"{name}, no-op rebuild: < 0.3 s in the plugin's goals (slowest run)", f"{noop:.3f} s", noop < 0.3)
    if "large" in results:
        large = summary(results["large"]["pybundle-cold"])["median"]
        floor = results["large"].get("floor")
        why = "" if not floor or large <= 30 else (f" (checking every file alone: ≥"
                                                   f" {(floor['inflate'] + floor['sha256']) / os.cpu_count():.1f} s here)")
        row("large, cold: ≤ 30 s (wall, median)", f"{large:.1f} s{why}", large <= 30)
    if real and real.get("pybundle") and real.get("uv"):
        fetch = statistics.median(m.fetch for m in real["pybundle"])
        uv = summary(real["uv"])["median"]
        row("real index, medium: pybundle's resolve + download ≤ `uv pip install --target` (medians)",
            f"{fetch:.2f} s / {uv:.2f} s", fetch <= uv)
    if "large" in results:
        heap = max(m.heap_mb for k in ("pybundle-cold", "pybundle-warm", "pybundle-noop")
                   for m in results["large"][k])
        row(f"large: peak heap < 256 MB (built with -Xmx{HEAP_LIMIT_MB}m)", f"{heap:.0f} MB", heap < 256)
    return rows + [""]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="small,medium,large", help="comma-separated: small, medium, large")
    ap.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    ap.add_argument("--large-runs", type=int, default=None,
                    help="runs per measurement of the large set (default: --runs)")
    ap.add_argument("--large-alt-runs", type=int, default=None,
                    help="runs of the alternatives on the large set (default: --large-runs); each takes minutes")
    ap.add_argument("--work", default=str(Path.home() / ".cache" / "pybundle-bench"),
                    help="mirror, tools and scratch space (kept between runs)")
    ap.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    ap.add_argument("--skip-plugin-build", action="store_true", help="use the plugin already in ~/.m2")
    ap.add_argument("--skip", default="", help="comma-separated tools to leave out: pip, uv, pex")
    ap.add_argument("--real-runs", type=int, default=3, help="alternating runs against the real index (default 3)")
    ap.add_argument("--skip-real-index", action="store_true", help="leave out the comparison on the real index")
    args = ap.parse_args()
    args.large_runs = args.large_runs or args.runs
    args.large_alt_runs = args.large_alt_runs or args.large_runs
    sets = [s for s in args.sets.split(",") if s]
    skip = set(filter(None, args.skip.split(",")))
    work = Path(args.work).expanduser().resolve()
    work.mkdir(parents=True, exist_ok=True)
    if sys.version_info < (3, 11):
        sys.exit("bench: needs Python 3.11 or newer (tomllib)")
    for tool in ("mvn", "java", "tar", "cp"):
        if shutil.which(tool) is None:
            sys.exit(f"bench: {tool} is not on PATH")
    if not args.skip_plugin_build:
        log("building and installing the plugin (mvn -DskipTests -Dinvoker.skip install)")
        run(["mvn", "-B", "-q", "-DskipTests", "-Dinvoker.skip", "install"], cwd=ROOT)
    venv = tools_venv(work)
    fill_mirror(work, sets)
    info = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
            "versions": versions(venv)}
    results = {}
    with Index(work / "mirror") as index:
        log(f"index at {index.url}")
        for name in sets:
            runs = args.large_runs if name == "large" else args.runs
            r = results[name] = {k: [] for k in ("pybundle-cold", "pybundle-warm", "pybundle-noop", "copy")}
            r["smoke"] = {}
            d = pybundle_project(work, name, index)
            for i in range(runs):
                for state in ("cold", "warm", "noop"):
                    m = measure(lambda: pybundle(d, state), f"{name} pybundle {state} #{i + 1}")
                    r[f"pybundle-{state}"].append(m)
                    log(f"{name} pybundle {state} #{i + 1}: {m.wall:.2f} s (goal {m.goal:.3f} s {m.phases},"
                        f" heap {m.heap_mb:.0f} MB)")
                if i == 0:
                    r["smoke"]["pybundle"] = smoke("pybundle", r["pybundle-cold"][0], SETS[name]["imports"], work)
                r["copy"].append(copy_baseline(work, d))
                if i == 0:
                    r["floor"] = check_floor(work, d)
                for tool, build in (("pip", alt_pip), ("uv", alt_uv), ("pex", alt_pex)):
                    if tool in skip or (name == "large" and i >= args.large_alt_runs):
                        continue
                    try:
                        m = measure(lambda: build(work, name, index, venv), f"{name} {tool} #{i + 1}")
                    except Failed as e:
                        log(f"{name} {tool} #{i + 1} FAILED: {e}")
                        r.setdefault("failed", {})[tool] = str(e).strip().splitlines()[-1][:300]
                        shutil.rmtree(work / "runs" / f"{tool}-{name}", ignore_errors=True)
                        continue
                    r.setdefault(tool, []).append(m)
                    log(f"{name} {tool} #{i + 1}: {m.wall:.2f} s, {human(m.size)}")
                    if i == 0:
                        r["smoke"][tool] = smoke(tool, m, SETS[name]["imports"], work)
                    shutil.rmtree(work / "runs" / f"{tool}-{name}", ignore_errors=True)
            shutil.rmtree(d, ignore_errors=True)
    real = None
    if not args.skip_real_index:
        log("the medium set and a resolution from the real package index (network)")
        real = real_index(work, venv, args.real_runs)
    out = Path(args.out)
    chart_files = charts(results, real, out.parent)
    text = report(results, info, args, real, chart_files)
    out.write_text(text)
    raw = work / "results.json"
    everything = dict(results, **({"real-index": real} if real else {}))
    raw.write_text(json.dumps({name: {k: [{a: str(b) if isinstance(b, Path) else b for a, b in vars(m).items()
                                           if a != "output"} for m in v] if isinstance(v, list) else v
                                      for k, v in r.items()} for name, r in everything.items()}, default=str,
                              indent=1))
    log(f"wrote {args.out} and {raw}")
    print(text)


if __name__ == "__main__":
    main()
