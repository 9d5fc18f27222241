# Where --version's commit comes from without git: cmake/write_version.cmake alone.
add_test(NAME install_version_fallback
         COMMAND ${PROJECT_SOURCE_DIR}/tests/install/version_test.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(install_version_fallback PROPERTIES LABELS unit TIMEOUT 60)
