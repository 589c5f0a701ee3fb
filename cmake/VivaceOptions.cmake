# Per-target compiler settings, applied by function rather than through global flags so that a
# project consuming Vivace with add_subdirectory keeps its own.
include_guard(GLOBAL)

find_program(VIVACE_CCACHE ccache)
if(VIVACE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${VIVACE_CCACHE}")
endif()

function(vivace_target_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
      -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough)
    if(VIVACE_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
