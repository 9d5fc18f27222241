# GPU area: unit tests load the simulated NVML drivers by path; the `gpu` label runs against
# a real NVIDIA driver and reports itself skipped where none loads.
if(TARGET unit_gpu)
  target_compile_definitions(unit_gpu PRIVATE
    FLOWLINE_SIM_NVML="$<TARGET_FILE:flowline_sim_nvml>"
    FLOWLINE_SIM_NVML_V1="$<TARGET_FILE:flowline_sim_nvml_v1>")
  add_dependencies(unit_gpu flowline_sim_nvml flowline_sim_nvml_v1)
endif()

file(GLOB gpu_real_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/gpu/*.cpp)
if(gpu_real_srcs)
  add_executable(gpu_real_tests ${gpu_real_srcs})
  target_link_libraries(gpu_real_tests PRIVATE flowline_gpu GTest::gtest_main nlohmann_json::nlohmann_json)
  target_include_directories(gpu_real_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_definitions(gpu_real_tests PRIVATE FLOWLINE_EXE="$<TARGET_FILE:flowline>")
  add_dependencies(gpu_real_tests flowline)
  # GTEST_SKIP prints "[  SKIPPED ]": ctest then reports the test as skipped, never passed.
  gtest_discover_tests(gpu_real_tests DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS gpu SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]")
endif()
