# Browser tests (label `browser`): tests/browser/*.test.mjs, one CTest entry per file, run by
# Node's test runner against the built flowline on simulated GPUs, in Debian's chromium driven
# by playwright-core from web/node_modules (tests/browser/support/flowline.mjs). A missing
# node, chromium or node_modules fails them with what to install; they are never skipped.
file(GLOB browser_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/browser/*.test.mjs)
find_program(NODE_FOR_TESTS NAMES node nodejs)
foreach(test_file ${browser_tests})
  get_filename_component(name ${test_file} NAME_WE)
  string(REPLACE "." "_" name ${name})
  if(NODE_FOR_TESTS)
    add_test(NAME browser_${name}
      COMMAND ${NODE_FOR_TESTS} --test --test-reporter=spec ${test_file}
      WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/browser)
  else()
    add_test(NAME browser_${name} COMMAND ${CMAKE_COMMAND} -E echo
      "browser tests need Node.js: run scripts/install-deps.sh")
    set_tests_properties(browser_${name} PROPERTIES WILL_FAIL ON)
  endif()
  set_tests_properties(browser_${name} PROPERTIES
    LABELS browser
    TIMEOUT 300
    # One chromium at a time: several at once on a small machine make every wait slow.
    RESOURCE_LOCK chromium
    ENVIRONMENT "FLOWLINE_BIN=$<TARGET_FILE:flowline>;FLOWLINE_BROWSER_FAILURES=${PROJECT_BINARY_DIR}/browser-failures")
endforeach()

# The web UI's TypeScript, checked strictly (esbuild bundles without checking types).
if(NODE_FOR_TESTS)
  add_test(NAME web_typecheck
    COMMAND ${NODE_FOR_TESTS} ${PROJECT_SOURCE_DIR}/web/node_modules/typescript/bin/tsc --noEmit
            -p ${PROJECT_SOURCE_DIR}/web)
  set_tests_properties(web_typecheck PROPERTIES LABELS web TIMEOUT 120)
endif()
