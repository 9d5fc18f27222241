# The tests that also run under ThreadSanitizer (`make tsan`, docs/reliability.md
# "Sanitizers"): the areas with threads of their own (engine loop, executor, HTTP and ctl
# servers, event hooks, sampler) and the integration tests, whose `flowline` is then the TSan
# build's. They get the label `tsan` besides their own, in every build. gtest_discover_tests
# cannot pass a list as a property (3.25 splits it), so the label is added by a file that
# CTest reads after the discovered tests (<target>_TESTS is their list).
set(tsan_labels_file ${CMAKE_CURRENT_BINARY_DIR}/tsan_labels.cmake)
set(tsan_labels_text "")
foreach(pair unit_engine:unit unit_exec:unit unit_front:unit unit_gpu:unit
             integration_tests:integration)
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 target)
  list(GET pair 1 label)
  if(TARGET ${target})
    string(APPEND tsan_labels_text "if(DEFINED ${target}_TESTS)\n"
      "  set_tests_properties(\${${target}_TESTS} PROPERTIES LABELS \"${label};tsan\")\n"
      "endif()\n")
  endif()
endforeach()
file(WRITE ${tsan_labels_file} "${tsan_labels_text}")
set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${tsan_labels_file})
