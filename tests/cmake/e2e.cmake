# End-to-end tests of the interactive shell in a real terminal (tmux). The shell runs in
# `shell_driver` against a fake engine; tests/e2e/*.cpp are globbed into `e2e_tests`.
add_executable(shell_driver ${CMAKE_CURRENT_SOURCE_DIR}/e2e/driver/shell_driver.cpp)
target_link_libraries(shell_driver PRIVATE flowline_front)
target_include_directories(shell_driver PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})

file(GLOB e2e_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/e2e/*.cpp
     ${CMAKE_CURRENT_SOURCE_DIR}/e2e/support/*.cpp)
if(e2e_srcs)
  add_executable(e2e_tests ${e2e_srcs} ${CMAKE_CURRENT_SOURCE_DIR}/integration/support/process.cpp)
  target_link_libraries(e2e_tests PRIVATE flowline_front GTest::gtest_main GTest::gmock)
  target_include_directories(e2e_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_definitions(e2e_tests PRIVATE
    FLOWLINE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" FLOWLINE_BINARY_DIR="${PROJECT_BINARY_DIR}"
    FLOWLINE_EXE="$<TARGET_FILE:flowline>" SHELL_DRIVER="$<TARGET_FILE:shell_driver>")
  add_dependencies(e2e_tests flowline shell_driver)
  gtest_discover_tests(e2e_tests PROPERTIES LABELS e2e DISCOVERY_TIMEOUT 60)
endif()
