# The docs pages' front-end assets, from pinned npm packages that CMake downloads from the npm
# registry itself (no Node.js, no npm), checks against their SHA-512 (the registry's integrity
# hashes, as hex) and unpacks:
#   swagger-ui-dist 5.35.0 (Apache-2.0): swagger-ui-bundle.js, swagger-ui.css,
#                                        oauth2-redirect.html, oauth2-redirect.js
#   redoc 2.5.4 (MIT): bundles/redoc.standalone.js
# Included by the build (vivace_fetch_docs_assets), and a script of its own, installed as
# <prefix>/share/vivace/fetch-docs-assets.cmake, to fill a folder that a build without embedded
# assets reads at run time:
#   cmake -P fetch-docs-assets.cmake <folder>

set(vivace_docs_asset_packages
  "swagger-ui-dist|5.35.0|534eaba4cb56f55dd73c638179a993512af4674f63317e0826e00da44fc465b021c341bc0a0c2bcd4e18997927fe1d3008336c5dd19aad334d1c2dec53cc9551"
  "redoc|2.5.4|33a8d6846d6aa019c7e93166cc99ecb72099f3b1e6398fd4cc39bbf261e262284476557f61c4bda203a8d4d94496724c78bb32c4715edb215ce2c3631d3ac005")

# vivace_fetch_docs_assets(<folder> <result variable>): fills <folder> (kept once complete) and
# sets the variable to TRUE, or to FALSE with a warning saying why when the registry cannot be
# reached. A tarball that does not match its pinned hash is a fatal error.
function(vivace_fetch_docs_assets dir result)
  if(EXISTS "${dir}/.complete")
    set(${result} TRUE PARENT_SCOPE)
    return()
  endif()
  string(RANDOM LENGTH 8 tag)
  set(work "${dir}.download-${tag}")
  file(REMOVE_RECURSE "${work}")
  foreach(entry IN LISTS vivace_docs_asset_packages)
    string(REPLACE "|" ";" entry "${entry}")
    list(GET entry 0 name)
    list(GET entry 1 version)
    list(GET entry 2 sha512)
    set(url "https://registry.npmjs.org/${name}/-/${name}-${version}.tgz")
    file(DOWNLOAD "${url}" "${work}/${name}.tgz" STATUS status TLS_VERIFY ON TIMEOUT 300
      INACTIVITY_TIMEOUT 60)
    list(GET status 0 code)
    if(NOT code EQUAL 0)
      list(GET status 1 why)
      file(REMOVE_RECURSE "${work}")
      message(WARNING "Vivace: could not download the docs assets from ${url}: ${why}")
      set(${result} FALSE PARENT_SCOPE)
      return()
    endif()
    file(SHA512 "${work}/${name}.tgz" actual)
    if(NOT actual STREQUAL sha512)
      file(REMOVE_RECURSE "${work}")
      message(FATAL_ERROR "Vivace: ${url} does not match its pinned SHA-512 (${actual})")
    endif()
    file(ARCHIVE_EXTRACT INPUT "${work}/${name}.tgz" DESTINATION "${work}/${name}")
  endforeach()
  set(swagger "${work}/swagger-ui-dist/package")
  file(MAKE_DIRECTORY "${dir}")
  file(COPY "${swagger}/swagger-ui-bundle.js" "${swagger}/swagger-ui.css"
    "${swagger}/oauth2-redirect.html" "${swagger}/oauth2-redirect.js"
    "${work}/redoc/package/bundles/redoc.standalone.js" DESTINATION "${dir}")
  file(COPY_FILE "${swagger}/LICENSE" "${dir}/LICENSE.swagger-ui")
  file(COPY_FILE "${swagger}/NOTICE" "${dir}/NOTICE.swagger-ui")
  file(COPY_FILE "${work}/redoc/package/LICENSE" "${dir}/LICENSE.redoc")
  file(REMOVE_RECURSE "${work}")
  file(TOUCH "${dir}/.complete")
  message(STATUS "Vivace: docs assets fetched from the npm registry into ${dir}")
  set(${result} TRUE PARENT_SCOPE)
endfunction()

# As a script: cmake -P fetch-docs-assets.cmake <folder>
if(CMAKE_SCRIPT_MODE_FILE AND CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  math(EXPR last "${CMAKE_ARGC} - 1")
  if(last LESS 3)
    message(FATAL_ERROR "usage: cmake -P fetch-docs-assets.cmake <folder>")
  endif()
  set(folder "${CMAKE_ARGV${last}}")
  get_filename_component(folder "${folder}" ABSOLUTE)
  vivace_fetch_docs_assets("${folder}" ok)
  if(NOT ok)
    message(FATAL_ERROR "Vivace: the docs assets were not fetched")
  endif()
  message(STATUS "Vivace: the docs assets are in ${folder}")
endif()
