#!/usr/bin/env python3
"""Offline checks of Vivace's packaging (vcpkg and Conan cannot reach their registries here).

1. The vcpkg manifests (the port's and the developers' root vcpkg.json) are valid against
   packaging/vcpkg-manifest.schema.json; the Conan recipes compile (py_compile).
2. One version: CMakeLists.txt's project(VERSION) is the version of the port and of the root
   manifest, and the Conan recipe reads it from there.
3. The dependencies agree: every find_dependency of cmake/vivaceConfig.cmake.in (and each
   SOCI backend component) has its vcpkg dependency (in the feature that enables it) and its
   Conan requirement, and neither manifest asks for anything the CMake package does not use.
4. The port's steps are those tests/consumer/run.sh performs: configure options between
   markers, vcpkg_cmake_install, a config fix-up from the install's share/vivace, and features
   that map to the CMake options the Conan recipe sets too.
5. The root manifest's versions: a builtin-baseline (vcpkg refuses overrides and version>=
   without one; a port's own are ignored, so the port has none), the vcpkg release and commit
   that docs/your-own-project.md names, a catch2 override of the major version tests/ finds, and
   the Boost components the examples find. With VCPKG_ROOT set to a clone of vcpkg, also,
   offline, against its git history: the release tag is that commit, the clone has it (not
   older, not shallow), the baseline lists every dependency and the overrides' versions exist.
Exits 1 with every problem listed.
"""

import json
import os
import pathlib
import py_compile
import re
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent
problems = []


def problem(text):
    problems.append(text)


try:
    import jsonschema
except ImportError:
    sys.exit("packaging: python3 module jsonschema is needed (Debian: python3-jsonschema)")

# 1. Manifests and recipes -------------------------------------------------------------------
schema = json.loads((root / "packaging/vcpkg-manifest.schema.json").read_text())
port_dir = root / "packaging/vcpkg/ports/vivace"
manifests = {}
for path in (port_dir / "vcpkg.json", root / "vcpkg.json"):
    try:
        manifests[path] = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as e:
        problem(f"{path.relative_to(root)}: {e}")
        continue
    validator = jsonschema.Draft202012Validator(schema)
    for error in validator.iter_errors(manifests[path]):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        problem(f"{path.relative_to(root)}: {where}: {error.message}")
for recipe in (root / "conanfile.py", root / "test_package/conanfile.py"):
    try:
        with tempfile.TemporaryDirectory() as tmp:
            py_compile.compile(str(recipe), doraise=True, cfile=f"{tmp}/recipe.pyc")
    except py_compile.PyCompileError as e:
        problem(f"{recipe.relative_to(root)}: {e.msg}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
port = manifests[port_dir / "vcpkg.json"]
dev = manifests[root / "vcpkg.json"]
conan = (root / "conanfile.py").read_text()
portfile = (port_dir / "portfile.cmake").read_text()

# 2. One version ------------------------------------------------------------------------------
cmakelists = (root / "CMakeLists.txt").read_text()
version = re.search(r"project\(vivace\s+VERSION\s+([0-9.]+)", cmakelists).group(1)
for name, manifest in (("the port", port), ("the root vcpkg.json", dev)):
    if manifest.get("version") != version:
        problem(f"{name} says version {manifest.get('version')}, CMakeLists.txt {version}")
conandata = (root / "conandata.yml").read_text()
if not re.search(r'^  "' + re.escape(version) + r'":\n    url: "https://[^"]+v' +
                 re.escape(version) + r'\.tar\.gz"\n    sha256: "[0-9a-f]{64}"', conandata, re.M):
    problem(f"conandata.yml has no sources (url, sha256) for version {version}")
for part in ('"shared": [True, False]', "def source(self)", "def validate(self)",
             "check_min_cppstd(self, 20)"):
    if part not in conan:
        problem(f"conanfile.py: Conan Center's shape wants `{part}`")
conan_version_re = re.search(r're\.search\(r"(.+?)", text\)', conan)
if not conan_version_re or not re.search(conan_version_re.group(1), cmakelists):
    problem("conanfile.py's set_version() does not find the version in CMakeLists.txt")

# 3. Dependencies -----------------------------------------------------------------------------
config = (root / "cmake/vivaceConfig.cmake.in").read_text()
found = re.findall(r"find_dependency\((\w+)([^)]*)\)", config)
cmake_deps = {name for name, _ in found} - {"Threads"}
boost_components = set()
for name, args in found:
    if name == "Boost":
        boost_components = set(re.search(r"COMPONENTS\s+([\w ]+)", args).group(1).split())

# CMake package -> (vcpkg port, where it must be: None = always, or the feature), Conan package
expected = {
    "OpenSSL": [("openssl", None, "openssl")],
    "ZLIB": [("zlib", None, "zlib")],
    "SOCI": [("soci", "db", "soci")],
    "SQLite3": [("sqlite3", "db", "sqlite3")],
    "Boost": [("boost-" + c.replace("_", "-"), None, "boost") for c in sorted(boost_components)],
}
extra_backends = {"postgresql": [("libpq", "postgresql", "libpq")]}
# libpq, found as CMake's PostgreSQL when the build has PostgreSQL (checked with the backends).
cmake_deps.discard("PostgreSQL")
if set(expected) != cmake_deps:
    problem(f"find_dependency calls {sorted(cmake_deps)} are not the ones this check knows "
            f"{sorted(expected)}: update packaging/check.py with the new dependency")


def names(deps):
    return {d if isinstance(d, str) else d["name"] for d in deps}


# Build-only dependencies: found by CMakeLists.txt for the library's own sources, not needed by
# the installed package (header-only, linked privately), so no find_dependency.
build_only = {"utf8cpp": [("utfcpp", None, "utfcpp")]}
for name in build_only:
    if f"find_package({name}" not in cmakelists:
        problem(f"CMakeLists.txt no longer finds {name}: update packaging/check.py")
expected.update(build_only)

port_always = names(port.get("dependencies", []))
port_features = {f: names(v.get("dependencies", [])) for f, v in port.get("features", {}).items()}
conan_requires = set(re.findall(r'self\.requires\("([\w-]+)/', conan))
wanted_port = set()
wanted_conan = set()
for entries in list(expected.values()) + [extra_backends["postgresql"]]:
    for port_name, feature, conan_name in entries:
        wanted_port.add(port_name)
        wanted_conan.add(conan_name)
        where = port_always if feature is None else port_features.get(feature, set())
        if port_name not in where:
            problem(f"vcpkg port: {port_name} missing from "
                    f"{'dependencies' if feature is None else 'feature ' + feature}")
        if conan_name not in conan_requires:
            problem(f"conanfile.py: requires {conan_name} missing")
for feature, backend in (("db", "sqlite3"), ("postgresql", "postgresql")):
    soci = [d for d in port.get("features", {}).get(feature, {}).get("dependencies", [])
            if isinstance(d, dict) and d["name"] == "soci"]
    if not soci or backend not in soci[0].get("features", []):
        problem(f"vcpkg port: feature {feature} must ask for soci[{backend}]")
if "VIVACE_PACKAGE_SOCI_COMPONENTS" not in config:
    problem("vivaceConfig.cmake.in no longer finds SOCI with the built components")
# Header-only Boost libraries the sources include (no find_dependency: Boost::headers).
headers = set()
for path in list((root / "include").rglob("*.hpp")) + list((root / "src").rglob("*.[ch]pp")):
    headers |= set(re.findall(r"#include <boost/(\w+)", path.read_text()))
for h in sorted(headers):
    if "boost-" + h.replace("_", "-") not in port_always:
        problem(f"vcpkg port: the sources include <boost/{h}/...> but boost-{h} is not a dependency")
for name in sorted(port_always | set().union(*port_features.values())):
    if name.startswith("vcpkg-") or name == "vivace":
        continue
    if name not in wanted_port and not (name.startswith("boost-") and name[6:] in headers):
        problem(f"vcpkg port: {name} is not used by the CMake package")
for name in sorted(conan_requires - wanted_conan):
    problem(f"conanfile.py: requires {name}, which the CMake package does not use")
dev_deps = names(dev.get("dependencies", []))
for name in sorted((port_always | set().union(*port_features.values())) - dev_deps):
    if not name.startswith("vcpkg-") and name != "vivace":
        problem(f"root vcpkg.json: {name} (a dependency of the port) is missing")

# 4. The port's steps -------------------------------------------------------------------------
for step in ("vcpkg_cmake_configure(", "vcpkg_cmake_install()",
             "vcpkg_cmake_config_fixup(PACKAGE_NAME vivace CONFIG_PATH share/vivace)",
             "# port-options-begin", "# port-options-end"):
    if step not in portfile:
        problem(f"portfile.cmake: expected `{step}`")
options_block = portfile.split("# port-options-begin")[-1].split("# port-options-end")[0]
if "-DVIVACE_INSTALL_CMAKEDIR=share/vivace" not in options_block:
    problem("portfile.cmake: the install must put the package files in share/vivace")
feature_map = dict(re.findall(r"^\s+([a-z-]+)\s+(VIVACE_\w+)\s*$", portfile, re.M))
if set(feature_map) != set(port.get("features", {})):
    problem(f"portfile.cmake maps features {sorted(feature_map)}, vcpkg.json has "
            f"{sorted(port.get('features', {}))}")
for option in feature_map.values():
    if f"option({option}" not in cmakelists and f"cmake_dependent_option({option}" not in cmakelists:
        problem(f"portfile.cmake: {option} is not an option of CMakeLists.txt")
    if f'tc.cache_variables["{option}"]' not in conan:
        problem(f"conanfile.py: does not set {option}")
consumer = (root / "tests/consumer/run.sh").read_text()
if "port-options-begin" not in consumer:
    problem("tests/consumer/run.sh no longer reads the port's options")

# 5. Versions: the root manifest's baseline ---------------------------------------------------
# vcpkg rejects "overrides" and "version>=" in a top-level manifest that has no baseline (its
# message VersionRejectedDueToBaselineMissing). A port's baseline and overrides are ignored when
# it is a dependency ("overrides" from transitive manifests are ignored): the port has none.
for key in ("builtin-baseline", "overrides"):
    if key in port:
        problem(f"vcpkg port: {key} is for the top-level manifest (a port's is ignored)")
overrides = {o["name"]: o for o in dev.get("overrides", [])}
constrained = [d for d in dev.get("dependencies", []) if isinstance(d, dict) and "version>=" in d]
baseline = dev.get("builtin-baseline")
if not baseline:
    why = " (vcpkg refuses its overrides and version>= without one)"
    problem("root vcpkg.json: no builtin-baseline" + (why if overrides or constrained else ""))
guide = (root / "docs/your-own-project.md").read_text()
documented = re.findall(r"vcpkg\s+release\s+`(\d{4}\.\d{2}\.\d{2})`\s+"
                        r"\(commit\s+`([0-9a-f]{40})`\)", guide)
release = None
if len(documented) != 1:
    problem("docs/your-own-project.md must name the baseline once, as: vcpkg release "
            "`YYYY.MM.DD` (commit `<40 hex digits>`)")
else:
    release, commit = documented[0]
    if baseline and baseline != commit:
        problem(f"root vcpkg.json: builtin-baseline {baseline} is not the commit of vcpkg "
                f"release {release} that docs/your-own-project.md names ({commit})")
    if f"vcpkg release {release}" not in dev.get("$comment", ""):
        problem(f"root vcpkg.json: its $comment does not name vcpkg release {release}")
for name, override in overrides.items():
    if name not in dev_deps:
        problem(f"root vcpkg.json: override of {name}, which is not a dependency")
    if f"`{override['version']}`" not in guide:
        problem(f"docs/your-own-project.md does not say why {name} is pinned to "
                f"{override['version']}")
tests_cmake = (root / "tests/CMakeLists.txt").read_text()
catch2_major = re.search(r"find_package\(Catch2\s+(\d+)", tests_cmake)
if catch2_major and "catch2" in dev_deps:
    major = catch2_major.group(1)
    if overrides.get("catch2", {}).get("version", "").split(".")[0] != major:
        problem(f"root vcpkg.json: tests/ find Catch2 {major} (catch2/catch.hpp) and vcpkg's "
                f"catch2 is 3.x: pin catch2 {major}.x with an override")
examples_cmake = (root / "examples/CMakeLists.txt").read_text()
examples_boost = re.search(r"find_package\(Boost[^)]*COMPONENTS\s+([\w ]+)\)", examples_cmake)
for component in examples_boost.group(1).split() if examples_boost else []:
    port_name = "boost-" + component.replace("_", "-")
    if port_name not in dev_deps:
        problem(f"root vcpkg.json: the examples find Boost {component}, {port_name} is missing")

# The same baseline against a vcpkg clone, when there is one (VCPKG_ROOT), without the network:
# vcpkg reads baseline.json from the clone's history at that commit, the versions database from
# the checkout, and an older version's port files from its git tree (not in a shallow clone).
vcpkg_root = os.environ.get("VCPKG_ROOT")
clone_note = "no VCPKG_ROOT: the baseline was not looked up in a vcpkg clone"
if baseline and release and vcpkg_root:
    def git(*args):
        return subprocess.run(["git", "-C", vcpkg_root, *args], capture_output=True, text=True)

    if git("rev-parse", "--git-dir").returncode != 0:
        problem(f"VCPKG_ROOT={vcpkg_root} is not a git clone of vcpkg (versions need its history)")
    elif git("cat-file", "-e", f"{baseline}^{{commit}}").returncode != 0:
        problem(f"the vcpkg clone in {vcpkg_root} does not have commit {baseline} (release "
                f"{release}): update it, or vcpkg needs the network")
    else:
        clone_note = f"baseline checked in the vcpkg clone {vcpkg_root}"
        tag = git("rev-parse", "--verify", "--quiet", f"refs/tags/{release}^{{commit}}")
        if tag.returncode != 0:
            clone_note += f" (it has no tag {release}: the tag was not compared)"
        elif tag.stdout.strip() != baseline:
            problem(f"vcpkg's tag {release} is commit {tag.stdout.strip()}, not {baseline}")
        if git("merge-base", "--is-ancestor", baseline, "HEAD").returncode != 0:
            problem(f"the vcpkg clone in {vcpkg_root} is older than release {release}: vcpkg "
                    f"reads the versions database from the checkout")
        listed = json.loads(git("show", f"{baseline}:versions/baseline.json").stdout)["default"]
        for name in sorted(dev_deps - set(listed)):
            problem(f"vcpkg release {release} has no port {name}")
        for name, override in overrides.items():
            wanted, _, port_version = override["version"].partition("#")
            port_version = int(port_version or override.get("port-version", 0))
            path = f"versions/{name[0]}-/{name}.json"
            checkout = pathlib.Path(vcpkg_root) / path
            if checkout.is_file():
                text = checkout.read_text()
            else:
                text = git("show", f"HEAD:{path}").stdout or '{"versions": []}'
            schemes = ("version", "version-semver", "version-date", "version-string")
            entries = [e for e in json.loads(text)["versions"]
                       if e.get("port-version", 0) == port_version
                       and wanted in (e.get(k) for k in schemes)]
            if not entries:
                problem(f"vcpkg's versions database has no {name} {override['version']}")
            elif git("cat-file", "-e", f"{entries[0]['git-tree']}^{{tree}}").returncode != 0:
                problem(f"the vcpkg clone lacks the port files of {name} {override['version']} "
                        f"(git tree {entries[0]['git-tree']}): a shallow clone? "
                        f"git fetch --unshallow")

if problems:
    print("\n".join(f"packaging: {p}" for p in problems))
    sys.exit(1)
print(f"packaging: vcpkg manifests valid, recipes compile, version {version} everywhere, "
      f"{len(wanted_port)} dependencies agree, port steps match the consumer test, "
      f"vcpkg baseline {release} as documented; {clone_note}")
