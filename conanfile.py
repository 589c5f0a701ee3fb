"""Conan 2 recipe for Vivace (typed HTTP APIs in C++20, the FastAPI way), in Conan Center's
shape: the release sources come from conandata.yml in source(); options shared and fPIC;
validate() for C++20, the compilers it is known to build with and POSIX.

    conan create . --build=missing                       # defaults: db (SQLite), PostgreSQL, TLS
    conan create . -o "vivace/*:with_postgresql=False"   # leave parts out
    conan create . -o "vivace/*:shared=True"             # libvivace.so, libvivace_db.so

Created from this repository the recipe exports the tree's own sources and builds them (its
version from CMakeLists.txt's project() call, the one place it is written); exported without
them, as on Conan Center (`conan create . --version X`), source() downloads release X from
conandata.yml.
"""

import os
import re

from conan import ConanFile
from conan.errors import ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, get, load, rmdir
from conan.tools.scm import Version

required_conan_version = ">=2.0"


class VivaceConan(ConanFile):
    name = "vivace"
    description = "Typed HTTP APIs in C++20, the FastAPI way, on Boost.Beast"
    license = "BSL-1.0"
    url = "https://github.com/vivace-cpp/vivace"
    homepage = "https://github.com/vivace-cpp/vivace"
    topics = ("http", "rest", "openapi", "web-framework", "beast", "fastapi")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {
        "shared": [True, False],
        "fPIC": [True, False],
        "with_db": [True, False],
        "with_postgresql": [True, False],
        "with_tls": [True, False],
    }
    default_options = {
        "shared": False,
        "fPIC": True,
        "with_db": True,
        "with_postgresql": True,
        "with_tls": True,
    }
    exports_sources = (
        "CMakeLists.txt",
        "LICENSE",
        "cmake/*",
        "include/*",
        "src/*",
    )
    # The compilers Vivace is built and tested with (GCC 12 and clang 14, on Debian 12); older
    # ones lack parts of C++20 it uses.
    _minimum_compilers = {"gcc": "12", "clang": "14", "apple-clang": "15"}

    def set_version(self):
        if self.version:
            return  # given on the command line (Conan Center)
        text = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        self.version = re.search(r"project\(vivace\s+VERSION\s+([0-9.]+)", text).group(1)

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")
        if not self.options.with_db:
            self.options.rm_safe("with_postgresql")

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        self.requires("boost/1.86.0", transitive_headers=True)
        self.requires("openssl/[>=3 <4]")
        self.requires("zlib/[>=1.2.11 <2]")
        self.requires("utfcpp/4.0.5")  # header-only, inside the library only
        if self.options.with_db:
            self.requires("soci/4.1.2", transitive_headers=True)
            self.requires("sqlite3/[>=3.40 <4]")
            if self.options.get_safe("with_postgresql"):
                self.requires("libpq/[>=15 <18]")

    def validate(self):
        check_min_cppstd(self, 20)
        compiler = str(self.settings.compiler)
        minimum = self._minimum_compilers.get(compiler)
        if minimum is None:
            raise ConanInvalidConfiguration(f"{self.ref} is not known to build with {compiler}")
        if Version(self.settings.compiler.version) < minimum:
            raise ConanInvalidConfiguration(
                f"{self.ref} needs {compiler} {minimum} or newer (C++20)")
        if self.settings.os == "Windows":
            raise ConanInvalidConfiguration(f"{self.ref} runs on POSIX systems only")

    def build_requirements(self):
        self.tool_requires("cmake/[>=3.25 <4]")

    def source(self):
        # From this repository the sources were exported with the recipe; from Conan Center
        # they are the release's tarball.
        if not os.path.exists(os.path.join(self.source_folder, "CMakeLists.txt")):
            get(self, **self.conan_data["sources"][self.version], strip_root=True)

    def generate(self):
        tc = CMakeToolchain(self)
        tc.cache_variables["VIVACE_BUILD_TESTS"] = False
        tc.cache_variables["VIVACE_BUILD_EXAMPLES"] = False
        tc.cache_variables["VIVACE_BUILD_BENCH"] = False
        tc.cache_variables["VIVACE_INSTALL"] = True
        # The docs pages' assets come from the npm registry at configure time; Conan builds
        # offline, so they are left out: the library reads them at run time from
        # $VIVACE_DOCS_ASSETS_DIR or <prefix>/share/vivace/docs-assets (fetch-docs-assets.cmake).
        tc.cache_variables["VIVACE_DOCS_ASSETS"] = False
        tc.cache_variables["VIVACE_DB"] = bool(self.options.with_db)
        tc.cache_variables["VIVACE_DB_POSTGRESQL"] = bool(self.options.get_safe("with_postgresql"))
        tc.cache_variables["VIVACE_TLS"] = bool(self.options.with_tls)
        tc.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        cmake = CMake(self)
        cmake.install()
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "lib", "pkgconfig"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "vivace")
        self.cpp_info.set_property("pkg_config_name", "vivace")

        core = self.cpp_info.components["core"]
        core.set_property("cmake_target_name", "vivace::vivace")
        core.set_property("pkg_config_name", "vivace")
        core.libs = ["vivace"]
        core.defines = ["BOOST_ASIO_NO_DEPRECATED"]
        core.requires = ["boost::headers", "boost::json", "boost::url", "boost::program_options",
                         "openssl::ssl", "openssl::crypto", "zlib::zlib"]
        if self.settings.os in ("Linux", "FreeBSD"):
            core.system_libs = ["pthread"]

        if self.options.with_db:
            db = self.cpp_info.components["db"]
            db.set_property("cmake_target_name", "vivace::db")
            db.set_property("pkg_config_name", "vivace-db")
            db.libs = ["vivace_db"]
            db.requires = ["core", "soci::soci_core", "soci::soci_sqlite3", "sqlite3::sqlite3"]
            if self.options.get_safe("with_postgresql"):
                db.requires += ["soci::soci_postgresql", "libpq::libpq"]
