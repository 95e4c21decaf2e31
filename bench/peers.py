#!/usr/bin/env python3
"""Side-by-side benchmark of Assay and peer scanners on the same real MCP server packages.

usage: peers.py [--reps N] [--timeout S] [--synthetic-timeout S] [--only NAME[,NAME]]
                [--tools NAME[,NAME]] [--no-synthetic] [--prepare-only]

Called by bench/peers.sh, which builds the release binary first. Everything it downloads
or writes goes to bench/.cache/peers/ (gitignored); re-running reuses what is there.

1. Inputs: every package of bench/peers/packages.tsv, fetched with `npm pack` or
   `pip download --no-deps` (source distribution first, wheel as fallback) from whatever
   registry npm and pip are configured to use, and unpacked; plus the synthetic tree of
   bench/gen_tree.py.
2. Peers, pinned below, installed into venvs and an npm prefix under the cache dir.
3. Runs: for every input, one warm-up run of each applicable tool, then N rounds in which
   the tools run one after the other (alternating), each run inside `unshare -n` (no
   network) under `/usr/bin/time -v` (wall, user+sys CPU, peak RSS). Each tool's JSON
   output is parsed into findings by severity.
4. Output: results.json and results.md in the cache dir; the table goes into
   docs/benchmarks.md by hand.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "peers"
INPUTS = CACHE / "inputs"
GITREPOS = CACHE / "git"
WORK = CACHE / "work"
ASSAY = ROOT / "target" / "release" / "assay"
PACKAGES = ROOT / "bench" / "peers" / "packages.tsv"
SYNTHETIC_MB = 200

# Pinned peer versions, one isolated environment each (their dependency sets conflict).
PY_PEERS = {
    "light": ["bandit==1.9.4", "detect-secrets==1.5.0"],
    # 0.110.0 requires a certifi release newer than any published one; 0.109.0 installs.
    "agentbom": ["agent-bom==0.109.0"],
    "cisco": ["cisco-ai-mcp-scanner==4.8.7"],
}
NPM_PEERS = ["ferret-scan@2.10.0", "agentaudit@3.14.0", "agent-security-scanner-mcp@4.5.9"]

SEVERITIES = ["critical", "high", "medium", "low", "info"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


# ---------------------------------------------------------------- inputs


def read_packages():
    rows = []
    for line in PACKAGES.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        registry, name, version, why = line.split("\t")
        rows.append({"registry": registry, "name": name, "version": version, "why": why})
    return rows


def slug(pkg):
    return f"{pkg['registry']}-{pkg['name'].replace('@', '').replace('/', '_')}-{pkg['version']}"


def unpack(archive, dest):
    """Unpacks an npm tarball, sdist or wheel; returns the package root."""
    dest.mkdir(parents=True)
    name = archive.name
    if name.endswith(".whl") or name.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            z.extractall(dest)
    else:
        with tarfile.open(archive) as t:
            t.extractall(dest, filter="data")
    entries = [p for p in dest.iterdir()]
    # npm tarballs hold `package/`, sdists `name-version/`: scan what is inside.
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return dest


def fetch(pkg):
    """Downloads and unpacks one package once; returns (root dir, artifact file name)."""
    out = INPUTS / slug(pkg)
    marker = out / ".root"
    if marker.exists():
        return Path(marker.read_text()), (out / ".artifact").read_text()
    if out.exists():
        shutil.rmtree(out)
    dl = out / "download"
    dl.mkdir(parents=True)
    if pkg["registry"] == "npm":
        spec = f"{pkg['name']}@{pkg['version']}"
        run(["npm", "pack", "--silent", "--pack-destination", str(dl), spec], stdout=subprocess.DEVNULL)
    else:
        spec = f"{pkg['name']}=={pkg['version']}"
        base = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(dl), spec]
        try:
            # Source only for the package itself; its build backend may come as a wheel.
            run(base + ["--no-binary", pkg["name"]], stderr=subprocess.DEVNULL)
        except subprocess.CalledProcessError:
            run(base + ["--only-binary", ":all:"])
    (artifact,) = list(dl.iterdir())
    root = unpack(artifact, out / "src")
    (out / ".artifact").write_text(artifact.name)
    marker.write_text(str(root))
    return root, artifact.name


def synthetic():
    tree = ROOT / "bench" / ".cache" / f"synthetic-{SYNTHETIC_MB}mb"
    if not tree.is_dir():
        run([sys.executable, str(ROOT / "bench" / "gen_tree.py"), str(tree), str(SYNTHETIC_MB)])
    return tree


def git_repo(name, root):
    """A one-commit repository of `root` for agentaudit, which only scans what it clones."""
    repo = GITREPOS / name
    if (repo / "HEAD").exists():
        return
    tmp = GITREPOS / (name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@localhost",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost")
    git = ["git", f"--git-dir={tmp}", f"--work-tree={root}"]
    run(["git", "init", "-q", "--bare", str(tmp)])
    run(git + ["add", "-A", "-f", "."], env=env)
    run(git + ["commit", "-q", "-m", "snapshot"], env=env)
    tmp.rename(repo)


# ---------------------------------------------------------------- peers


def install_peers():
    for env, reqs in PY_PEERS.items():
        venv = CACHE / f"venv-{env}"
        stamp = venv / ".installed"
        if stamp.exists() and stamp.read_text() == " ".join(reqs):
            continue
        log(f"installing {' '.join(reqs)} into {venv}")
        run([sys.executable, "-m", "venv", "--clear", str(venv)])
        run([str(venv / "bin" / "pip"), "install", "-q", *reqs])
        stamp.write_text(" ".join(reqs))
    prefix = CACHE / "npm-prefix"
    stamp = prefix / ".installed"
    if not (stamp.exists() and stamp.read_text() == " ".join(NPM_PEERS)):
        log(f"installing {' '.join(NPM_PEERS)} into {prefix}")
        run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix), *NPM_PEERS])
        stamp.write_text(" ".join(NPM_PEERS))


def venv_bin(env, name):
    return str(CACHE / f"venv-{env}" / "bin" / name)


def npm_bin(name):
    return str(CACHE / "npm-prefix" / "node_modules" / ".bin" / name)


def has_python(root):
    return any(root.rglob("*.py"))


def count(values):
    """Severity histogram of an iterable of severity strings."""
    out = {s: 0 for s in SEVERITIES}
    for v in values:
        v = (v or "info").lower()
        v = {"error": "high", "warning": "medium", "warn": "medium", "note": "low", "unknown": "info"}.get(v, v)
        out[v if v in out else "info"] += 1
    return out


def load_json(path):
    text = Path(path).read_text(errors="replace")
    # Some tools print a banner or log lines around the document: take the first value.
    start = min(i for i in (text.find("{"), text.find("[")) if i >= 0)
    return json.JSONDecoder().raw_decode(text[start:])[0]


# Each peer: how to run it on an input (argv, output file) and how to read its findings.
# `applies` says whether the peer analyses this kind of input at all.


def assay_cmd(inp, out):
    return [str(ASSAY), "scan", str(inp["root"]), "--format", "json", "--output", out, "--quiet"]


def assay_parse(out, _stdout):
    r = load_json(out)
    return count(f["severity"] for f in r["findings"])


def bandit_cmd(inp, out):
    return [venv_bin("light", "bandit"), "-r", str(inp["root"]), "-f", "json", "-o", out, "-q"]


def bandit_parse(out, _stdout):
    return count(i["issue_severity"] for i in load_json(out)["results"])


def detect_secrets_cmd(_inp, _out):
    # Runs in the input's root (see RUN_IN_INPUT): given a path, detect-secrets still asks
    # git about the working directory and silently scans nothing inside an ignored tree.
    return [venv_bin("light", "detect-secrets"), "scan", "--all-files", "."]


def detect_secrets_parse(_out, stdout):
    # detect-secrets has no severities: every candidate secret counts as high.
    results = load_json(stdout)["results"]
    return count("high" for hits in results.values() for _ in hits)


def agentbom_cmd(inp, out):
    # `-p` alone scans the project only; `--no-discover` would also turn off its secret
    # scanning. `--offline` without a local vulnerability DB (whose download is outside the
    # reachable registries) leaves package matching empty: the report says so in `warnings`.
    return [venv_bin("agentbom", "agent-bom"), "scan", "-p", str(inp["root"]), "--offline",
            "-f", "json", "-o", out, "-q"]


def agentbom_parse(out, _stdout):
    sev = load_json(out)["finding_summary"]["by_severity"]
    return count(s for s, n in sev.items() for _ in range(n))


def cisco_cmd(inp, _out):
    # The analyzers that run offline: YARA rules and the schema checks (api, llm and
    # behavioral need Cisco AI Defense or an LLM; virustotal and pip-audit need network).
    return [venv_bin("cisco", "mcp-scanner"), "--analyzers", "yara,schema", "--format", "raw",
            "static", "--tools", str(inp["tools_json"])]


def cisco_parse(_out, stdout):
    sevs = []
    for item in load_json(stdout)["scan_results"]:
        for analyzer in item["findings"].values():
            sevs += [analyzer["severity"]] * analyzer.get("total_findings", 0)
    return count(sevs)


def ferret_cmd(inp, out):
    return [npm_bin("ferret"), "scan", str(inp["root"]), "-f", "json", "-o", out, "--ci"]


def ferret_parse(out, _stdout):
    return count(f["severity"] for f in load_json(out)["findings"])


def agentaudit_cmd(inp, _out):
    return [npm_bin("agentaudit"), "scan", f"git://bench.invalid/{inp['name']}", "--json", "--quiet"]


def agentaudit_parse(_out, stdout):
    data = load_json(stdout)
    items = data if isinstance(data, list) else [data]
    return count(f.get("severity") for item in items if item for f in item.get("findings", []))


def asm_cmd(inp, _out):
    return [npm_bin("agent-security-scanner-mcp"), "scan-mcp", str(inp["root"]), "--no-email-capture"]


def asm_parse(_out, stdout):
    return count(f.get("severity") for f in load_json(stdout).get("findings", []))


# Tools that must run with the input's root as working directory.
RUN_IN_INPUT = {"detect-secrets"}

TOOLS = {
    "assay": (assay_cmd, assay_parse, lambda i: True),
    "bandit": (bandit_cmd, bandit_parse, lambda i: i["python"]),
    "detect-secrets": (detect_secrets_cmd, detect_secrets_parse, lambda i: True),
    "agent-bom": (agentbom_cmd, agentbom_parse, lambda i: True),
    "cisco-mcp-scanner": (cisco_cmd, cisco_parse, lambda i: i.get("tools_json") is not None),
    "ferret-scan": (ferret_cmd, ferret_parse, lambda i: True),
    "agentaudit": (agentaudit_cmd, agentaudit_parse, lambda i: True),
    "agent-security-scanner-mcp": (asm_cmd, asm_parse, lambda i: True),
}


def tools_list(report_path, dest):
    """MCP `tools/list` JSON built from Assay's inventory, for Cisco's static mode."""
    tools = []
    for t in load_json(report_path)["inventory"]["tools"]:
        props = {}
        for p in t.get("parameters", []):
            prop = {"type": p["ty"]} if p.get("ty") else {}
            if p.get("description"):
                prop["description"] = p["description"]
            props[p["name"]] = prop
        schema = {"type": "object", "properties": props,
                  "required": [p["name"] for p in t.get("parameters", []) if p.get("required")]}
        tool = {"name": t["name"], "description": t.get("description") or "", "inputSchema": schema}
        ann = t.get("annotations") or {}
        if ann:
            keys = {"title": "title", "read_only_hint": "readOnlyHint", "destructive_hint": "destructiveHint",
                    "idempotent_hint": "idempotentHint", "open_world_hint": "openWorldHint"}
            tool["annotations"] = {keys[k]: v for k, v in ann.items() if k in keys and v is not None}
        tools.append(tool)
    if not tools:
        return None
    Path(dest).write_text(json.dumps({"tools": tools}, indent=1))
    return dest


# ---------------------------------------------------------------- running

OFFLINE = None


def offline_prefix():
    """`unshare -n` when this user may create a network namespace, else nothing."""
    global OFFLINE
    if OFFLINE is None:
        ok = shutil.which("unshare") and subprocess.run(
            ["unshare", "-n", "true"], stderr=subprocess.DEVNULL).returncode == 0
        OFFLINE = ["unshare", "-n", "--"] if ok else []
        if not ok:
            log("unshare -n is not available: peers run WITH network access")
    return OFFLINE


def parse_time_v(path):
    fields = {}
    for line in Path(path).read_text().splitlines():
        key, _, value = line.strip().rpartition(": ")
        fields[key] = value
    wall = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"]
    parts = [float(x) for x in wall.split(":")]
    secs = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
    return secs, cpu, int(fields["Maximum resident set size (kbytes)"]) / 1024


def run_once(tool, inp, timeout):
    cmd_fn, parse_fn, _ = TOOLS[tool]
    rundir = WORK / tool
    rundir.mkdir(parents=True, exist_ok=True)
    out = str(rundir / f"{inp['name']}.out.json")
    stdout_path = rundir / f"{inp['name']}.stdout"
    stats = rundir / f"{inp['name']}.time"
    for p in (Path(out), stats):
        p.unlink(missing_ok=True)
    env = dict(os.environ, HOME=str(WORK / "home"), NO_COLOR="1", GIT_CONFIG_GLOBAL=str(CACHE / "gitconfig"),
               ASSAY_CACHE_DIR=str(WORK / "assay-cache"),
               LITELLM_LOCAL_MODEL_COST_MAP="True",
               # The inputs live inside this repository's ignored cache: stop git discovery
               # there, so tools that consult git see a plain unpacked package.
               GIT_CEILING_DIRECTORIES=str(ROOT / "bench" / ".cache"), ASSAY_DATA_DIR=str(WORK / "assay-data"))
    argv = offline_prefix() + ["/usr/bin/time", "-v", "-o", str(stats)] + cmd_fn(inp, out)
    started = time.monotonic()
    try:
        with open(stdout_path, "wb") as so:
            proc = subprocess.run(argv, stdout=so, stderr=subprocess.PIPE,
                                  cwd=inp["root"] if tool in RUN_IN_INPUT else rundir, env=env,
                                  timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "wall": time.monotonic() - started}
    wall, cpu, rss = parse_time_v(stats)
    result = {"status": "ok", "exit": proc.returncode, "wall": wall, "cpu": cpu, "rss_mb": rss}
    try:
        result["findings"] = parse_fn(out, stdout_path)
    except (ValueError, KeyError, OSError, StopIteration, TypeError) as e:
        result["status"] = "no-output"
        result["error"] = f"{type(e).__name__}: {e}; stderr: {proc.stderr.decode(errors='replace')[-400:]}"
    return result


def bench_input(inp, tools, reps, timeout):
    applicable = [t for t in tools if TOOLS[t][2](inp)]
    runs = {t: [] for t in applicable}
    skip = set()
    for rnd in range(reps + 1):  # round 0 is the warm-up
        for tool in applicable:
            if tool in skip:
                continue
            r = run_once(tool, inp, timeout)
            if r["status"] == "timeout":
                skip.add(tool)  # one timeout is enough to know
            if rnd > 0 or r["status"] != "ok":
                runs[tool].append(r)
            elif rnd == 0:
                runs[tool].append(dict(r, warmup=True))
    summary = {}
    for tool, rs in runs.items():
        timed = [r for r in rs if not r.get("warmup") and r["status"] == "ok"]
        last = next((r for r in reversed(rs) if r["status"] != "timeout"), rs[-1])
        entry = {"status": last["status"], "runs": len(timed)}
        if any(r["status"] == "timeout" for r in rs):
            entry["status"] = "timeout"
            entry["timeout_s"] = timeout
        if timed:
            entry.update(wall_median=statistics.median(r["wall"] for r in timed),
                         cpu_median=statistics.median(r["cpu"] for r in timed),
                         rss_mb_max=max(r["rss_mb"] for r in timed),
                         exit=timed[-1]["exit"], findings=timed[-1].get("findings"))
        elif last.get("findings") is not None:
            entry["findings"] = last["findings"]
        if "error" in last:
            entry["error"] = last["error"]
        summary[tool] = entry
    return summary


def prepare_inputs(only):
    inputs = []
    for pkg in read_packages():
        name = slug(pkg)
        if only and name not in only:
            continue
        log(f"input {name}")
        root, artifact = fetch(pkg)
        inputs.append({"name": name, "root": root, "artifact": artifact, "package": pkg})
    return inputs


def enrich(inp):
    """Per-input facts: size, Python present, a git repo for agentaudit, the tools/list JSON."""
    files = [p for p in inp["root"].rglob("*") if p.is_file()]
    inp["files"] = len(files)
    inp["bytes"] = sum(p.stat().st_size for p in files)
    inp["python"] = has_python(inp["root"])
    git_repo(inp["name"], inp["root"])
    report = WORK / "inventory" / f"{inp['name']}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    if not report.exists():
        subprocess.run([str(ASSAY), "scan", str(inp["root"]), "--format", "json", "--output", str(report),
                        "--quiet"], env=dict(os.environ, ASSAY_DATA_DIR=str(WORK / "assay-data")))
    inp["tools"] = len(load_json(report)["inventory"]["tools"])
    inp["tools_json"] = tools_list(report, WORK / "inventory" / f"{inp['name']}.tools.json")


def fmt_s(v):
    return "—" if v is None else (f"{v:.2f}" if v < 10 else f"{v:.1f}")


def fmt_findings(f):
    if not f:
        return "—"
    return "/".join(str(f[s]) for s in SEVERITIES[:4]) + (f" (+{f['info']} info)" if f["info"] else "")


SHORT = {"assay": "Assay", "bandit": "bandit", "detect-secrets": "detect-secrets", "agent-bom": "agent-bom",
         "cisco-mcp-scanner": "Cisco static", "ferret-scan": "ferret", "agentaudit": "agentaudit",
         "agent-security-scanner-mcp": "asm"}


def cell(e, what, assay_wall):
    """One table cell: a tool's figure on one input, or why there is none."""
    if e is None:
        return "n/a"
    if e["status"] == "timeout":
        return f"> {e['timeout_s']:.0f} s"
    if "wall_median" not in e:
        return e["status"]
    if what == "wall":
        ratio = f" ({e['wall_median'] / assay_wall:.1f}×)" if assay_wall and e is not None else ""
        return fmt_s(e["wall_median"]) + ratio
    if what == "rss":
        return f"{e['rss_mb_max']:.0f}"
    return fmt_findings(e.get("findings"))


def markdown(results, tools):
    """Three tables (wall time with the peer/Assay ratio, peak RSS, findings), one row per input."""
    out = []
    titles = {"wall": "Median wall seconds (peer ÷ Assay)", "rss": "Peak RSS, MB",
              "findings": "Findings, critical/high/medium/low"}
    for what, title in titles.items():
        out.append(f"{title}:\n")
        out.append("| input | files | MB | " + " | ".join(SHORT.get(t, t) for t in tools) + " |")
        out.append("|---|---:|---:|" + "---:|" * len(tools))
        for res in results:
            assay_wall = res["tools"].get("assay", {}).get("wall_median")
            cells = []
            for t in tools:
                e = res["tools"].get(t)
                cells.append(cell(e, "wall" if what == "wall" and t != "assay" else
                                  ("rss" if what == "rss" else ("findings" if what == "findings" else "plain")),
                                  assay_wall) if not (what == "wall" and t == "assay") else
                             (fmt_s(e["wall_median"]) if e and "wall_median" in e else cell(e, "rss", None)))
            out.append(f"| {res['input']} | {res['files']} | {res['bytes'] / 1e6:.1f} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--synthetic-timeout", type=float, default=300)
    ap.add_argument("--only", default="", help="comma-separated input names (slugs)")
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated tool names")
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--merge", action="store_true",
                    help="update the tools run in an existing results.json instead of replacing it")
    ap.add_argument("--prepare-only", action="store_true", help="fetch inputs and install peers, run nothing")
    args = ap.parse_args()
    tools = [t for t in args.tools.split(",") if t]
    for dirpath in (INPUTS, GITREPOS, WORK / "home"):
        dirpath.mkdir(parents=True, exist_ok=True)
    (CACHE / "gitconfig").write_text(f'[url "{GITREPOS}/"]\n\tinsteadOf = git://bench.invalid/\n'
                                     '[safe]\n\tdirectory = *\n')
    install_peers()
    only = set(filter(None, args.only.split(",")))
    inputs = prepare_inputs(only)
    if args.prepare_only:
        return
    if not args.no_synthetic and (not only or "synthetic" in only):
        inputs.append({"name": f"synthetic-{SYNTHETIC_MB}mb", "root": synthetic(), "synthetic": True})
    results = []
    previous = {}
    if args.merge and (CACHE / "results.json").exists():
        previous = {r["input"]: r for r in json.loads((CACHE / "results.json").read_text())["results"]}
    for inp in inputs:
        enrich(inp)
        reps = 1 if inp.get("synthetic") else args.reps
        timeout = args.synthetic_timeout if inp.get("synthetic") else args.timeout
        log(f"bench {inp['name']} ({inp['files']} files, {inp['bytes'] / 1e6:.1f} MB, {inp['tools']} tools)")
        summary = bench_input(inp, tools, reps, timeout)
        if inp["name"] in previous:
            summary = {**previous.pop(inp["name"])["tools"], **summary}
        results.append({"input": inp["name"], "files": inp["files"], "bytes": inp["bytes"],
                        "tools_declared": inp["tools"], "package": inp.get("package"),
                        "artifact": inp.get("artifact"), "tools": summary})
        for tool, e in summary.items():
            log(f"  {tool:28} {e['status']:9} wall={fmt_s(e.get('wall_median'))} rss={e.get('rss_mb_max', 0):.0f}MB "
                f"{fmt_findings(e.get('findings'))}")
        (CACHE / "results.json").write_text(json.dumps(meta(args, results + list(previous.values())),
                                                       indent=1, default=str))
    results += previous.values()
    (CACHE / "results.md").write_text(markdown(results, list(TOOLS)))
    print(markdown(results, list(TOOLS)))


def meta(args, results):
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    return {"date": time.strftime("%Y-%m-%d"), "assay_commit": commit, "cores": os.cpu_count(),
            "offline": bool(offline_prefix()), "reps": args.reps, "peers": {"python": PY_PEERS, "npm": NPM_PEERS},
            "results": results}


if __name__ == "__main__":
    main()
