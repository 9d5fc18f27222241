# FLOWLINE_FUZZ=ON: instrument every library for libFuzzer coverage plus ASan/UBSan; the
# targets themselves come from tests/fuzz/CMakeLists.txt. Needs clang.
if(FLOWLINE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "FLOWLINE_FUZZ needs clang: configure with CC=clang CXX=clang++ "
                        "(scripts/fuzz.sh does this)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
