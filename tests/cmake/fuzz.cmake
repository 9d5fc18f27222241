# Runs each libFuzzer target (tests/fuzz/fuzz_*.cpp) for a bounded time through
# scripts/fuzz.sh, which builds them with clang in a separate build dir. Label: fuzz.
find_program(FLOWLINE_CLANGXX clang++)
if(FLOWLINE_CLANGXX)
  file(GLOB fuzz_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/fuzz/fuzz_*.cpp)
  foreach(src ${fuzz_sources})
    get_filename_component(target ${src} NAME_WE)
    string(REGEX REPLACE "^fuzz_" "" fuzz_name ${target})
    add_test(NAME ${target}
             COMMAND ${PROJECT_SOURCE_DIR}/scripts/fuzz.sh ${fuzz_name} 20 ${PROJECT_BINARY_DIR}/fuzz)
    set_tests_properties(${target} PROPERTIES LABELS fuzz TIMEOUT 900)
  endforeach()
endif()
