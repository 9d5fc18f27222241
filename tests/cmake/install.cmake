# What `cmake --install` and `make deb` give (cmake/install.cmake). The library's find_package
# and pkg-config files are checked by api_installed_example (api.cmake).
add_test(NAME install_prefix
         COMMAND ${PROJECT_SOURCE_DIR}/tests/install/install_test.sh
                 ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(install_prefix PROPERTIES LABELS integration TIMEOUT 300)
# Where --version's commit comes from without git: cmake/write_version.cmake alone.
add_test(NAME install_version_fallback
         COMMAND ${PROJECT_SOURCE_DIR}/tests/install/version_test.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(install_version_fallback PROPERTIES LABELS unit TIMEOUT 60)
# Installs the package into this machine and removes it: root only (CI's throwaway container,
# or a developer who means it), skipped otherwise.
add_test(NAME install_deb
         COMMAND ${PROJECT_SOURCE_DIR}/tests/install/deb_test.sh
                 ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(install_deb PROPERTIES LABELS integration TIMEOUT 600 SKIP_RETURN_CODE 77)
