# The C++ API example compiled against an installed FlowLine (header + libflowline only) and
# run on simulated GPUs. Uses the same sanitizer flags as the build, since libflowline carries
# them.
if(TARGET flowline_shared)
  set(api_example_flags ${FLOWLINE_SANITIZER_FLAGS})
  add_test(NAME api_installed_example
           COMMAND ${PROJECT_SOURCE_DIR}/tests/api/installed_example_test.sh
                   ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${CMAKE_CXX_COMPILER}
                   ${api_example_flags})
  set_tests_properties(api_installed_example PROPERTIES LABELS integration TIMEOUT 600)
endif()
