# Runs COMMAND, writes its output to OUT and compares it with GOLDEN (a committed document).
# On a difference, shows it: review it, and update the golden file only if it is right.
execute_process(COMMAND ${COMMAND} OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NAME}: the document generator failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${GOLDEN} RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  execute_process(COMMAND diff -u ${GOLDEN} ${OUT})
  message(FATAL_ERROR "${NAME}: the OpenAPI document differs from ${GOLDEN} (written to ${OUT})")
endif()
