# Compiles SOURCE and succeeds only if compilation FAILS with the text given on the source's
# first line after "// expect: ". Used for the library's compile-time diagnostics.
file(STRINGS "${SOURCE}" first_line LIMIT_COUNT 1)
string(REGEX REPLACE "^// expect: " "" expected "${first_line}")
set(include_flags)
foreach(dir IN LISTS INCLUDES)
  list(APPEND include_flags "-I${dir}")
endforeach()
execute_process(
  COMMAND "${CXX}" -std=c++20 -fsyntax-only ${include_flags} "${SOURCE}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it must not")
endif()
string(FIND "${output}" "${expected}" found)
if(found EQUAL -1)
  message(FATAL_ERROR "${SOURCE} failed to compile, but without the expected message\n"
                      "expected: ${expected}\noutput:\n${output}")
endif()
message(STATUS "failed as expected: ${expected}")
