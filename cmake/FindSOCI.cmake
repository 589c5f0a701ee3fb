# FindSOCI: SOCI's core and its sqlite3 / postgresql backends.
#
# A SOCI that installs a CMake package config (vcpkg, Conan, SOCI built from source) is used
# when found, whatever its targets are called.
# Debian's libsoci-dev 4.0.3 ships neither a config nor a pkg-config file: the headers and
# libraries are found here and given the imported-target names SOCI's own config uses
# (SOCI::soci_core, SOCI::soci_sqlite3, SOCI::soci_postgresql), so one CMakeLists serves both.
#
# Components: core (always), sqlite3, postgresql. Sets SOCI_FOUND, SOCI_<component>_FOUND.

include_guard(GLOBAL)

find_package(SOCI CONFIG QUIET)
if(SOCI_FOUND)
  # The config's target names vary: SOCI::soci_<c> for shared builds, SOCI::soci_<c>_static for
  # static ones (vcpkg's default), SOCI::Core / SOCI::SQLite3 / SOCI::PostgreSQL in SOCI's newer
  # CMake. Whichever is there is given the first form's name, which the rest of Vivace uses.
  set(_vivace_soci_core_names Core)
  set(_vivace_soci_sqlite3_names SQLite3 sqlite3)
  set(_vivace_soci_postgresql_names PostgreSQL postgresql)
  foreach(component IN ITEMS core sqlite3 postgresql)
    if(NOT TARGET SOCI::soci_${component})
      foreach(candidate IN ITEMS soci_${component}_static ${_vivace_soci_${component}_names})
        if(TARGET SOCI::${candidate})
          add_library(SOCI::soci_${component} INTERFACE IMPORTED)
          set_target_properties(SOCI::soci_${component} PROPERTIES
            INTERFACE_LINK_LIBRARIES SOCI::${candidate})
          break()
        endif()
      endforeach()
    endif()
    if(TARGET SOCI::soci_${component})
      set(SOCI_${component}_FOUND TRUE)
    endif()
  endforeach()
  if(TARGET SOCI::soci_core)
    return()
  endif()
endif()

find_path(SOCI_INCLUDE_DIR soci/soci.h)
find_library(SOCI_core_LIBRARY NAMES soci_core)
mark_as_advanced(SOCI_INCLUDE_DIR SOCI_core_LIBRARY)

if(SOCI_INCLUDE_DIR AND SOCI_core_LIBRARY)
  set(SOCI_core_FOUND TRUE)
  if(NOT TARGET SOCI::soci_core)
    add_library(SOCI::soci_core UNKNOWN IMPORTED)
    set_target_properties(SOCI::soci_core PROPERTIES
      IMPORTED_LOCATION "${SOCI_core_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "${CMAKE_DL_LIBS}")
  endif()
endif()

foreach(component IN ITEMS sqlite3 postgresql)
  if(NOT component IN_LIST SOCI_FIND_COMPONENTS)
    continue()
  endif()
  find_library(SOCI_${component}_LIBRARY NAMES soci_${component})
  mark_as_advanced(SOCI_${component}_LIBRARY)
  set(backend_dep "")
  if(component STREQUAL "sqlite3")
    find_package(SQLite3 QUIET)
    if(SQLite3_FOUND)
      set(backend_dep SQLite::SQLite3)
    endif()
  else()
    find_package(PostgreSQL QUIET)
    if(PostgreSQL_FOUND)
      set(backend_dep PostgreSQL::PostgreSQL)
    endif()
  endif()
  if(SOCI_${component}_LIBRARY AND backend_dep AND SOCI_core_FOUND)
    set(SOCI_${component}_FOUND TRUE)
    if(NOT TARGET SOCI::soci_${component})
      add_library(SOCI::soci_${component} UNKNOWN IMPORTED)
      set_target_properties(SOCI::soci_${component} PROPERTIES
        IMPORTED_LOCATION "${SOCI_${component}_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}"
        INTERFACE_LINK_LIBRARIES "SOCI::soci_core;${backend_dep}")
    endif()
  endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_INCLUDE_DIR SOCI_core_LIBRARY
  HANDLE_COMPONENTS)
