# What `cmake --install` (and `make install`, `make deb`) adds beside the binaries and the
# library that src/ installs: the CMake package and pkg-config file of the library, man pages,
# shell completions and a systemd user unit for `flowline serve`. The paths are relative to the
# prefix, so that CPack's /usr and `--prefix DIR` both work; files that must name the installed
# binary are written at install time, when the prefix is known.
include(CMakePackageConfigHelpers)

# find_package(FlowLine) gives FlowLine::flowline (src/api exports it).
set(cmake_dir lib/cmake/FlowLine)
install(EXPORT FlowLineTargets NAMESPACE FlowLine:: DESTINATION ${cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/FlowLineConfig.cmake.in
  ${PROJECT_BINARY_DIR}/generated/FlowLineConfig.cmake INSTALL_DESTINATION ${cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/generated/FlowLineConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/generated/FlowLineConfig.cmake
              ${PROJECT_BINARY_DIR}/generated/FlowLineConfigVersion.cmake
        DESTINATION ${cmake_dir})

# Written at install time, when the prefix is known (TEMPLATE's @PREFIX@), into a folder of the
# build tree of its own per destination (installs to two prefixes may run at once), then
# installed by file(INSTALL), which honours DESTDIR and lists it in install_manifest.txt.
function(flowline_install_configured template destination)
  get_filename_component(name ${template} NAME)
  string(REGEX REPLACE "\\.in$" "" name ${name})
  install(CODE "
    string(MD5 key \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}\")
    set(out \"${PROJECT_BINARY_DIR}/generated/install/\${key}/${name}\")
    set(PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
    set(VERSION \"${PROJECT_VERSION}\")
    configure_file(\"${template}\" \"\${out}\" @ONLY)
    file(INSTALL \"\${out}\" DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${destination}\")")
endfunction()
flowline_install_configured(${PROJECT_SOURCE_DIR}/cmake/flowline.pc.in lib/pkgconfig)

# Shell completions, where bash-completion, zsh and fish look under the prefix.
set(completions ${PROJECT_SOURCE_DIR}/scripts/completions)
install(FILES ${completions}/flowline.bash DESTINATION share/bash-completion/completions
        RENAME flowline)
# zsh reads PREFIX/share/zsh/site-functions, except Debian's, which reads
# /usr/share/zsh/vendor-completions (and /usr/local/share/zsh/site-functions).
install(CODE "
  set(zsh_dir share/zsh/site-functions)
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(zsh_dir share/zsh/vendor-completions)
  endif()
  file(INSTALL \"${completions}/_flowline\" DESTINATION \"\${CMAKE_INSTALL_PREFIX}/\${zsh_dir}\")")
install(FILES ${completions}/flowline.fish DESTINATION share/fish/vendor_completions.d)

# `flowline serve` as a systemd user unit, one instance per table.
flowline_install_configured(${PROJECT_SOURCE_DIR}/scripts/systemd/flowline@.service.in
                            lib/systemd/user)

# Man pages from the program's own --help (scripts/make-man-pages.sh says why).
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(man_dir ${PROJECT_BINARY_DIR}/man)
  file(GLOB man_includes CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/man/*.h2m)
  add_custom_command(
    OUTPUT ${man_dir}/flowline.1
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/make-man-pages.sh $<TARGET_FILE:flowline>
            ${PROJECT_VERSION} ${PROJECT_SOURCE_DIR} ${man_dir}
    DEPENDS flowline ${PROJECT_SOURCE_DIR}/scripts/make-man-pages.sh ${man_includes}
    COMMENT "Writing the man pages from flowline --help (help2man)"
    VERBATIM)
  add_custom_target(flowline_man ALL DEPENDS ${man_dir}/flowline.1)
  install(DIRECTORY ${man_dir}/ DESTINATION share/man/man1 FILES_MATCHING PATTERN "*.1")
else()
  message(STATUS "help2man not found: no man pages (scripts/install-deps.sh installs it)")
endif()

# `make deb` (scripts/make-deb.sh): one Debian package with all of the above, under /usr.
set(CPACK_PACKAGE_NAME flowline)
set(CPACK_PACKAGE_VENDOR "FlowLine")
set(CPACK_PACKAGE_CONTACT "FlowLine maintainers <flowline@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "runs a table of experiments on the GPUs of a shared server")
set(CPACK_PACKAGE_DESCRIPTION
    "FlowLine takes a table of experiment configurations and runs one shell command per row on\n"
    "the GPUs of a shared Linux server as GPUs become free, with an interactive shell, an HTTP\n"
    "API and a web UI. Includes the C++ library (libflowline) and its header.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The library's shlibs file and the ldconfig trigger, so that dpkg -i/-r keep ld.so's cache right.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
include(CPack)
