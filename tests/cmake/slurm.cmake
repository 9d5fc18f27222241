# The local Slurm that issue 15's executor is tested against (scripts/slurm-local.sh): root
# only, skipped otherwise. Left running afterwards for the Slurm tests that follow it.
add_test(NAME slurm_local_cluster
         COMMAND ${PROJECT_SOURCE_DIR}/tests/slurm/slurm_local_test.sh)
set_tests_properties(slurm_local_cluster PROPERTIES LABELS "integration;slurm" TIMEOUT 300
                     SKIP_RETURN_CODE 77)
set_tests_properties(slurm_local_cluster PROPERTIES FIXTURES_SETUP slurm_cluster)

# FlowLine's Slurm executor against that cluster (tests/slurm/*_test.cpp): one at a time, as
# they share its four GPUs and one of them stops the controller.
file(GLOB slurm_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/slurm/*_test.cpp)
add_executable(slurm_tests ${slurm_srcs} ${CMAKE_CURRENT_SOURCE_DIR}/integration/support/process.cpp)
target_link_libraries(slurm_tests PRIVATE GTest::gtest_main)
target_include_directories(slurm_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(slurm_tests PRIVATE
  FLOWLINE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" FLOWLINE_BINARY_DIR="${PROJECT_BINARY_DIR}"
  FLOWLINE_EXE="$<TARGET_FILE:flowline>")
add_dependencies(slurm_tests flowline)
gtest_discover_tests(slurm_tests DISCOVERY_TIMEOUT 60
  PROPERTIES LABELS slurm FIXTURES_REQUIRED slurm_cluster RESOURCE_LOCK slurm
             TIMEOUT 240 SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]"
             ENVIRONMENT "XDG_CONFIG_HOME=${CMAKE_CURRENT_BINARY_DIR}/no-user-config")

# The web UI showing Slurm jobs, in chromium (tests/slurm/web_ui.test.mjs; browser.cmake's
# support), against the same cluster.
find_program(NODE_FOR_SLURM_UI NAMES node nodejs)
if(NODE_FOR_SLURM_UI)
  add_test(NAME slurm_web_ui
    COMMAND ${NODE_FOR_SLURM_UI} --test --test-reporter=spec
            ${CMAKE_CURRENT_SOURCE_DIR}/slurm/web_ui.test.mjs
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/browser)
  set_tests_properties(slurm_web_ui PROPERTIES
    LABELS "slurm;browser" TIMEOUT 300 SKIP_RETURN_CODE 77
    FIXTURES_REQUIRED slurm_cluster RESOURCE_LOCK "slurm;chromium"
    ENVIRONMENT "FLOWLINE_BIN=$<TARGET_FILE:flowline>;FLOWLINE_BROWSER_FAILURES=${PROJECT_BINARY_DIR}/browser-failures")
endif()
